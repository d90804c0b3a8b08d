import { useMemo } from 'react';
import type { ProfileSummary } from '../../shared/profile-types';
import { useAppStore } from '../app-context';
import { filterProfiles } from '../profile-filter';
import { selectProfiles } from '../store/selectors';

/** The profiles the search lets through, in file order, and how many there are in all. */
export function useVisibleProfiles(): { visible: ProfileSummary[]; total: number } {
  const profiles = useAppStore(selectProfiles);
  const query = useAppStore((state) => state.query);
  const visible = useMemo(() => filterProfiles(profiles, query), [profiles, query]);

  return { visible, total: profiles.length };
}
