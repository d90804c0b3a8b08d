/**
 * Keychain account ids: one entry per profile identity, that is a profile name
 * together with the auth server it signs in to. A profile re-pointed at another
 * server gets another entry, so a token is never sent to a server it did not
 * come from.
 *
 * Encoding: `<profile name>@<auth server>`. The auth server is normalized
 * (scheme, lower-case host, port and path without trailing slashes; user info,
 * query and fragment dropped; empty means Doover's production server) and any
 * `%` or `@` in it is percent-encoded, so the LAST `@` always separates the two
 * parts. The name is kept verbatim: any name, `@`, brackets, quotes and all,
 * survives, and the entry reads naturally in a keychain viewer
 * (`default@https://auth.doover.com`).
 */

/** What pydoover uses when a profile has no AUTH_SERVER_URL. */
export const defaultAuthServer = 'https://auth.doover.com';

/** A profile as the keychain knows it: its name and the server its sign-in is for. */
export interface ProfileIdentity {
  name: string;
  /** AUTH_SERVER_URL as written in the file; null or empty means the default server. */
  authServer: string | null;
}

/** The auth server in the one form account ids use. */
export function normalizeAuthServer(authServer: string | null): string {
  const text = authServer?.trim() ?? '';
  if (text === '') {
    return defaultAuthServer;
  }

  const url = URL.canParse(text) ? new URL(text) : null;
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return text;
  }

  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The keychain account id for a profile identity. */
export function accountIdFor(identity: ProfileIdentity): string {
  const server = normalizeAuthServer(identity.authServer)
    .replaceAll('%', '%25')
    .replaceAll('@', '%40');

  return `${identity.name}@${server}`;
}

/** The identity an account id was built from, or null when it is not one of ours. */
export function parseAccountId(account: string): ProfileIdentity | null {
  const separator = account.lastIndexOf('@');
  if (separator <= 0 || separator === account.length - 1) {
    return null;
  }

  const name = account.slice(0, separator);
  const authServer = account
    .slice(separator + 1)
    .replace(/%(25|40)/g, (escape) => (escape === '%40' ? '@' : '%'));

  return { name, authServer };
}

/** Whether two identities name the same keychain entry. */
export function sameIdentity(a: ProfileIdentity, b: ProfileIdentity): boolean {
  return (
    a.name === b.name &&
    normalizeAuthServer(a.authServer) === normalizeAuthServer(b.authServer)
  );
}

/**
 * Accounts that belong to no current profile: entries left behind when a
 * profile was deleted, renamed or re-pointed at another server, and entries
 * that are not account ids at all. `isIgnored` picks accounts to leave out
 * (health probes, which clean up after themselves).
 */
export function findOrphanAccounts(
  accounts: readonly string[],
  identities: readonly ProfileIdentity[],
  isIgnored: (account: string) => boolean = () => false,
): string[] {
  const current = new Set(identities.map(accountIdFor));

  return accounts.filter((account) => !isIgnored(account) && !current.has(account));
}
