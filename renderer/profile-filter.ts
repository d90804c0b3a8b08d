import type { ProfileSummary } from '../shared/profile-types';

// Built once per profile object; snapshots are immutable, so the cache never goes stale.
const searchTexts = new WeakMap<ProfileSummary, string>();

/** The profiles whose name, or the host of any of their URLs, contains the query. */
export function filterProfiles(
  profiles: ProfileSummary[],
  query: string,
): ProfileSummary[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') {
    return profiles;
  }

  return profiles.filter((profile) => searchTextOf(profile).includes(needle));
}

function searchTextOf(profile: ProfileSummary): string {
  let text = searchTexts.get(profile);
  if (text === undefined) {
    const urls = [profile.baseUrl, profile.dataBaseUrl, profile.authServerUrl];
    text = [profile.name, ...urls.map(hostOf)].join('\n').toLowerCase();
    searchTexts.set(profile, text);
  }

  return text;
}

function hostOf(url: string | null): string {
  if (url === null) {
    return '';
  }
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
