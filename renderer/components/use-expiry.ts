import { useShallow } from 'zustand/react/shallow';
import { describeExpiry, type ExpiryStatus } from '../../shared/expiry-status';
import type { ProfileSummary } from '../../shared/profile-types';
import { useAppStore } from '../app-context';

/**
 * The profile's expiry status at the shared clock's `now`. The component
 * re-renders only when the words or countdown change, so a row without a
 * countdown ignores the ticks.
 */
export function useExpiry(profile: ProfileSummary): ExpiryStatus {
  return useAppStore(
    useShallow((state) => describeExpiry(profile.expiresAt, profile.hasToken, state.now)),
  );
}
