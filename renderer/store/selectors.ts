import type { PreservedBlock, ProfileSummary } from '../../shared/profile-types';
import type { AppState } from './app-store';

// Shared empty arrays: a selector must return the same reference when nothing changed.
const noProfiles: ProfileSummary[] = [];
const noBlocks: PreservedBlock[] = [];

/** The profiles in file order. */
export function selectProfiles(state: AppState): ProfileSummary[] {
  return state.snapshot?.profiles ?? noProfiles;
}

/** The profile the detail pane shows, or null. */
export function selectSelectedProfile(state: AppState): ProfileSummary | null {
  if (state.selectedName === null) {
    return null;
  }

  return (
    selectProfiles(state).find((profile) => profile.name === state.selectedName) ?? null
  );
}

/** Blocks of the file kept byte for byte because they are not profiles. */
export function selectPreservedBlocks(state: AppState): PreservedBlock[] {
  return state.snapshot?.preservedBlocks ?? noBlocks;
}
