import { accountIdFor } from '../keychain/account-id.js';
import type { ProfileKind } from '../settings/settings-schema.js';
import { fieldOf, type ProfileValues } from './profile-values.js';

/**
 * The keychain account of a profile's secret: a user's refresh token is kept
 * per auth server, a service account's client secret per data API, so a
 * secret is never sent to a server it did not come from.
 */
export function secretAccountFor(
  name: string,
  kind: ProfileKind,
  servers: { authServerUrl: string | null; dataBaseUrl: string | null },
): string {
  const server = kind === 'service-account' ? servers.dataBaseUrl : servers.authServerUrl;

  return accountIdFor({ name, authServer: server });
}

/** The same account, from the profile's fields in the file. */
export function secretAccountFromValues(
  name: string,
  kind: ProfileKind,
  values: ProfileValues,
): string {
  return secretAccountFor(name, kind, {
    authServerUrl: fieldOf(values, 'AUTH_SERVER_URL'),
    dataBaseUrl: fieldOf(values, 'BASE_DATA_URL'),
  });
}
