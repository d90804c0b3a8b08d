/**
 * The few parts of oidc-provider's API that the test auth server uses. The
 * package ships no type definitions of its own.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** What `findAccount` resolves to: an account and its claims. */
  export interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** The token fields that `extraTokenClaims` and TTL functions read. */
  export interface TokenLike {
    accountId?: string;
    clientId?: string;
  }

  /** The client fields that configuration callbacks read. */
  export interface ClientLike {
    clientId: string;
  }

  /** An OAuth 2.0 / OpenID Connect authorization server (a Koa application). */
  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export default Provider;
}
