import type { ConfigSnapshot, ProfileSummary } from '../../shared/profile-types';
import type { AppError } from '../../shared/result';
import type { AppSliceCreator } from './app-store';

/** The last snapshot of the profiles file, or why none could be loaded. */
export interface SnapshotSlice {
  snapshot: ConfigSnapshot | null;
  loadError: AppError | null;
  receiveSnapshot: (snapshot: ConfigSnapshot) => void;
  receiveLoadError: (error: AppError) => void;
}

export const createSnapshotSlice: AppSliceCreator<SnapshotSlice> = (set) => ({
  snapshot: null,
  loadError: null,
  receiveSnapshot: (snapshot) =>
    set((state) => {
      // The first answer and a pushed update can cross: keep the newer read.
      if (state.snapshot !== null && snapshot.readAt < state.snapshot.readAt) {
        return {};
      }

      return {
        snapshot,
        loadError: null,
        selectedName: keptSelection(state.selectedName, snapshot.profiles),
      };
    }),
  receiveLoadError: (error) => set({ loadError: error }),
});

/** The selection survives a new snapshot while its profile does; else the first profile. */
function keptSelection(
  selected: string | null,
  profiles: ProfileSummary[],
): string | null {
  if (selected !== null && profiles.some((profile) => profile.name === selected)) {
    return selected;
  }

  return profiles[0]?.name ?? null;
}
