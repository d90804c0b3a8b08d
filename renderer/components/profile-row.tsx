import { memo } from 'react';
import type { ProfileSummary } from '../../shared/profile-types';
import { EnvironmentBadge } from './environment-badge';
import { ExpiryCountdown, ExpiryWords } from './expiry-text';
import { RenewalWords } from './renewal-status';
import { useExpiry } from './use-expiry';

export const ROW_HEIGHT = 64;
export const ROW_HEIGHT_WITH_PROBLEM = 86;

/** The height a row takes: one more line when the profile has a problem. */
export function rowHeight(profile: ProfileSummary | undefined): number {
  return profile !== undefined && profile.problems.length > 0
    ? ROW_HEIGHT_WITH_PROBLEM
    : ROW_HEIGHT;
}

interface ProfileRowProps {
  profile: ProfileSummary;
  id: string;
  position: number;
  setSize: number;
  selected: boolean;
  top: number;
  onSelect: (name: string) => void;
}

/** One option of the profiles listbox; positioned by the list's virtualiser. */
export const ProfileRow = memo(function ProfileRow(props: ProfileRowProps) {
  const { profile } = props;

  return (
    <div
      id={props.id}
      role="option"
      aria-selected={props.selected}
      aria-posinset={props.position}
      aria-setsize={props.setSize}
      className="profile-row"
      style={{ transform: `translateY(${props.top}px)`, height: rowHeight(profile) }}
      onClick={() => props.onSelect(profile.name)}
    >
      <div className="row-line">
        <span className="row-name">{profile.name}</span>
        <EnvironmentBadge environment={profile.environment} />
      </div>
      <RowStatus profile={profile} />
      <RowProblem profile={profile} />
    </div>
  );
});

/** The part of the row that follows the clock; it re-renders only when its text changes. */
function RowStatus({ profile }: { profile: ProfileSummary }) {
  const status = useExpiry(profile);

  return (
    <div className="row-line">
      <ExpiryWords status={status} />
      <ExpiryCountdown status={status} />
      <RenewalWords name={profile.name} inRow />
    </div>
  );
}

function RowProblem({ profile }: { profile: ProfileSummary }) {
  const [first] = profile.problems;
  if (first === undefined) {
    return null;
  }
  const more = profile.problems.length - 1;

  return (
    <div className="row-problem">
      <span aria-hidden="true">⚠ </span>
      <span className="visually-hidden">Problem: </span>
      {first.message}
      {more > 0 ? ` (and ${more} more)` : ''}
    </div>
  );
}
