import type { EnvironmentBadge } from './profile-types.js';

/** Doover's hosted environments, as `doover login` knows them. */
export interface DooverEnvironment {
  id: 'production' | 'staging';
  label: string;
  authServerUrl: string;
  baseUrl: string;
  dataBaseUrl: string;
  /** The profile `doover login` writes for this environment. */
  defaultProfileName: string;
}

/** One public client id serves both environments. */
export const dooverClientId = '08a9ae8c-0668-428b-a691-f7eaa526aca0';

export const dooverEnvironments: readonly DooverEnvironment[] = [
  {
    id: 'production',
    label: 'Production',
    authServerUrl: 'https://auth.doover.com',
    baseUrl: 'https://api.doover.com',
    dataBaseUrl: 'https://data.doover.com/api',
    defaultProfileName: 'default',
  },
  {
    id: 'staging',
    label: 'Staging',
    authServerUrl: 'https://auth.staging.udoover.com',
    baseUrl: 'https://api.staging.udoover.com',
    dataBaseUrl: 'https://data.staging.udoover.com/api',
    defaultProfileName: 'staging',
  },
];

// Older profiles hold production URLs on udoover.com.
const productionHosts = new Set([
  'auth.doover.com',
  'api.doover.com',
  'data.doover.com',
  'auth.udoover.com',
  'api.udoover.com',
  'data.udoover.com',
]);
const stagingHosts = new Set([
  'auth.staging.udoover.com',
  'api.staging.udoover.com',
  'data.staging.udoover.com',
]);

export interface ProfileUrls {
  authServerUrl: string | null;
  baseUrl: string | null;
  dataBaseUrl: string | null;
}

/**
 * Which environment a profile talks to, judged by its auth server first, then
 * its control API, then its data API. A profile with no URLs uses pydoover's
 * defaults, which are production's.
 */
export function environmentOf(urls: ProfileUrls): EnvironmentBadge {
  const url = urls.authServerUrl ?? urls.baseUrl ?? urls.dataBaseUrl;
  if (url === null) {
    return { kind: 'production', label: 'Production' };
  }
  const host = hostOf(url);
  if (host === null) {
    return { kind: 'unknown', label: 'Unknown server' };
  }
  if (productionHosts.has(host)) {
    return { kind: 'production', label: 'Production' };
  }
  if (stagingHosts.has(host)) {
    return { kind: 'staging', label: 'Staging' };
  }
  return { kind: 'custom', label: host };
}

/** The host (with a port when one is given) of a URL, or null when it is not one. */
export function hostOf(url: string): string | null {
  try {
    return new URL(url.trim()).host || null;
  } catch {
    return null;
  }
}
