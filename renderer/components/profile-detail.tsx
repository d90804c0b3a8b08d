import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatDateTime } from '../../shared/expiry-status';
import type { ProfileKey, ProfileSummary } from '../../shared/profile-types';
import { useAppStore } from '../app-context';
import { selectSelectedProfile } from '../store/selectors';
import { EditProfileForm } from './edit-profile-form';
import { EnvironmentBadge } from './environment-badge';
import { ExpiryCountdown, ExpiryWords } from './expiry-text';
import {
  ProfileActionDialog,
  ProfileActions,
  RepairExpiryButton,
  SeparateProfilesButton,
  type ProfileAction,
} from './profile-actions';
import { RenewalStatus } from './renewal-status';
import { SecretValue } from './secret-value';
import { SignInPlace } from './sign-in-place';
import { StatusAnnouncer } from './status-announcer';
import { TokenActions } from './token-actions';
import { useExpiry } from './use-expiry';

interface OpenAction {
  action: ProfileAction;
  profile: ProfileSummary;
}

/** Every field of the selected profile, or a hint to select one. */
export function ProfileDetail() {
  const profile = useAppStore(selectSelectedProfile);
  // Held here, above the pane that is replaced when the profile goes or is renamed.
  const [open, setOpen] = useState<OpenAction | null>(null);
  const dialog = open && (
    <ProfileActionDialog
      action={open.action}
      profile={open.profile}
      onClose={() => setOpen(null)}
    />
  );
  if (profile === null) {
    return (
      <section className="detail detail-empty" aria-label="Profile details">
        <p>Select a profile to see its fields.</p>
        {dialog}
      </section>
    );
  }

  return (
    <>
      {/* Keyed by name: selecting another profile starts afresh, hiding revealed secrets. */}
      <ProfileFields
        key={profile.name}
        profile={profile}
        onAction={(action) => setOpen({ action, profile })}
      />
      {dialog}
    </>
  );
}

function ProfileFields(props: {
  profile: ProfileSummary;
  onAction: (action: ProfileAction) => void;
}) {
  const { profile } = props;
  // LIMITATION: the form lives in this pane, so selecting another profile (or
  // another program removing this one) drops what was typed without asking.
  const [editing, setEditing] = useState(false);
  const editButton = useFocusAfterEditing(editing);

  return (
    <section className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <div className="detail-title-line">
          <h2 id="detail-title" tabIndex={-1}>
            {profile.name}
          </h2>
          <EnvironmentBadge environment={profile.environment} />
        </div>
        <DetailStatus profile={profile} />
        <RenewalStatus name={profile.name} />
        {!editing && <TokenActions profile={profile} />}
        {!editing && (
          <ProfileActions
            onAction={props.onAction}
            onEdit={() => setEditing(true)}
            editButtonRef={editButton}
          />
        )}
      </header>
      <ProblemList profile={profile} />
      {!editing && <SignInPlace profile={profile} />}
      {editing ? (
        <EditProfileForm profile={profile} onDone={() => setEditing(false)} />
      ) : (
        <FieldList profile={profile} />
      )}
      <IgnoredKeys keys={profile.ignoredKeys} />
    </section>
  );
}

/** Puts focus back on the Edit button when the form closes. */
function useFocusAfterEditing(editing: boolean) {
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(editing);
  useEffect(() => {
    if (wasEditing.current && !editing) {
      editButton.current?.focus();
    }
    wasEditing.current = editing;
  }, [editing]);

  return editButton;
}

function FieldList({ profile }: { profile: ProfileSummary }) {
  return (
    <dl className="fields">
      <TokenFields profile={profile} />
      <Field label="Agent ID" fileKey="AGENT_ID" value={profile.agentId} />
      <Field label="Control API" fileKey="BASE_URL" value={profile.baseUrl} />
      <RefreshTokenFields profile={profile} />
      <Field label="Data API" fileKey="BASE_DATA_URL" value={profile.dataBaseUrl} />
      <Field
        label="Auth server"
        fileKey="AUTH_SERVER_URL"
        value={profile.authServerUrl}
      />
      <Field
        label="Client ID"
        fileKey="AUTH_SERVER_CLIENT_ID"
        value={profile.authServerClientId}
      />
    </dl>
  );
}

/** The only part of the pane that follows the clock, so the fields do not re-render each second. */
function DetailStatus({ profile }: { profile: ProfileSummary }) {
  const status = useExpiry(profile);

  return (
    <>
      <p className="detail-status">
        <ExpiryWords status={status} />
        <ExpiryCountdown status={status} />
      </p>
      <StatusAnnouncer name={profile.name} state={status.state} />
    </>
  );
}

function TokenFields({ profile }: { profile: ProfileSummary }) {
  return (
    <>
      <FieldRow label="Token" fileKey="TOKEN">
        <SecretValue
          key={profile.maskedToken ?? ''}
          profile={profile.name}
          field="token"
          masked={profile.maskedToken}
          noun="token"
        />
      </FieldRow>
      <FieldRow label="Token expires" fileKey="TOKEN_EXPIRES">
        <TokenExpiresValue profile={profile} />
      </FieldRow>
      <FieldRow label="Expiry source">
        <ExpirySourceValue profile={profile} />
      </FieldRow>
    </>
  );
}

function RefreshTokenFields({ profile }: { profile: ProfileSummary }) {
  return (
    <>
      <FieldRow label="Refresh token" fileKey="REFRESH_TOKEN">
        <SecretValue
          key={profile.maskedRefreshToken ?? ''}
          profile={profile.name}
          field="refreshToken"
          masked={profile.maskedRefreshToken}
          noun="refresh token"
        />
      </FieldRow>
      <Field
        label="Refresh token ID"
        fileKey="REFRESH_TOKEN_ID"
        value={profile.refreshTokenId}
      />
    </>
  );
}

function TokenExpiresValue({ profile }: { profile: ProfileSummary }) {
  if (profile.unreadableTokenExpires !== null) {
    return (
      <span className="field-problem">
        <code>{profile.unreadableTokenExpires}</code> is not a number of seconds
      </span>
    );
  }
  if (profile.tokenExpires === null) {
    return <NotSet />;
  }

  return (
    <span>
      {formatDateTime(profile.tokenExpires)}{' '}
      <code className="raw-seconds">{String(profile.tokenExpires)}</code>
    </span>
  );
}

function ExpirySourceValue({ profile }: { profile: ProfileSummary }) {
  if (profile.expirySource === 'file') {
    return <span>From the file</span>;
  }
  if (profile.expirySource === 'jwt' && profile.expiresAt !== null) {
    return <span>From the token: {formatDateTime(profile.expiresAt)}</span>;
  }

  return <span className="not-set">Unknown: neither the file nor the token says</span>;
}

function Field(props: { label: string; fileKey: ProfileKey; value: string | null }) {
  return (
    <FieldRow label={props.label} fileKey={props.fileKey}>
      {props.value === null ? (
        <NotSet />
      ) : (
        <span className="field-text">{props.value}</span>
      )}
    </FieldRow>
  );
}

function FieldRow(props: { label: string; fileKey?: ProfileKey; children: ReactNode }) {
  return (
    <div className="field">
      <dt>
        {props.label}
        {props.fileKey !== undefined && <span className="file-key">{props.fileKey}</span>}
      </dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function NotSet() {
  return <span className="not-set">Not set</span>;
}

function ProblemList({ profile }: { profile: ProfileSummary }) {
  if (profile.problems.length === 0) {
    return null;
  }

  return (
    <div className="notice notice-warning">
      <h3>{profile.problems.length === 1 ? 'Problem' : 'Problems'}</h3>
      <ul>
        {profile.problems.map((problem, index) => (
          <li key={index}>
            {problem.message}
            {/* Main lists the problem of profiles running into this one first. */}
            {index === 0 && profile.joinedProfiles.length > 0 && (
              <>
                {' '}
                <SeparateProfilesButton profile={profile} />
              </>
            )}
            {problem.key === 'TOKEN_EXPIRES' &&
              profile.unreadableTokenExpires !== null && (
                <>
                  {' '}
                  <RepairExpiryButton profile={profile} />
                </>
              )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function IgnoredKeys({ keys }: { keys: string[] }) {
  if (keys.length === 0) {
    return null;
  }

  return (
    <p className="ignored-keys">
      pydoover ignores and drops these keys:{' '}
      {keys.map((key, index) => (
        <span key={key}>
          {index > 0 && ', '}
          <code>{key}</code>
        </span>
      ))}
    </p>
  );
}
