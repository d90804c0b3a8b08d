import { createHash } from 'node:crypto';

/** A signed-in person as the test auth server knows them. */
export interface TestAccount {
  sub: string;
  email?: string;
}

/** A UUID-shaped id derived from a text, as FusionAuth's ids look. */
export function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `8${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** FusionAuth identifies users by UUID; derive a stable one from an email. */
export function subjectForEmail(email: string): string {
  return stableUuid(`user:${email.toLowerCase()}`);
}

/** The people who may sign in, keyed by subject. */
export class AccountDirectory {
  readonly #emails = new Map<string, string>();

  /** Remembers an account so its tokens carry its email. */
  add(account: TestAccount): void {
    if (account.email !== undefined) {
      this.#emails.set(account.sub, account.email);
    }
  }

  /**
   * The account behind a subject. Any login is accepted, as on the
   * development sign-in page; one that looks like an email is used as such.
   */
  find(sub: string): TestAccount {
    const email = this.#emails.get(sub) ?? (sub.includes('@') ? sub : undefined);

    return email === undefined ? { sub } : { sub, email };
  }
}
