import { z } from 'zod';
import type { Logger } from '../logger.js';
import {
  authFailure,
  cancelledFailure,
  failed,
  type AuthFailure,
  type AuthResult,
} from './auth-failure.js';
import { readJson, sendRequest, serverBaseUrl, type AuthHttp } from './auth-http.js';
import { SingleFlight, whileNotAborted } from './timing.js';

/** Where an OpenID provider publishes its endpoints, under the auth server URL. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** How long a discovery document is trusted before it is fetched again. */
export const DISCOVERY_CACHE_MS = 60 * 60 * 1000;

/** The endpoints the app uses, read from an auth server's discovery document. */
export interface DiscoveryDocument {
  tokenEndpoint: string;
  /** Null when the server offers no device sign-in. */
  deviceAuthorizationEndpoint: string | null;
  /** Null when the server offers no way to revoke a token. */
  revocationEndpoint: string | null;
}

export interface DiscoveryOptions extends AuthHttp {
  /** How long a document is kept; one hour when omitted. */
  cacheMs?: number;
  log?: Logger;
}

const documentSchema = z.object({
  token_endpoint: z.string(),
  device_authorization_endpoint: z.string().optional(),
  revocation_endpoint: z.string().optional(),
});

type EndpointField = keyof z.infer<typeof documentSchema>;

/**
 * Finds auth server endpoints through discovery. Documents are cached per
 * auth server URL; concurrent lookups of one URL share a single request.
 */
export class DiscoveryClient {
  readonly #options: DiscoveryOptions;
  readonly #cache = new Map<string, { document: DiscoveryDocument; until: number }>();
  readonly #flights = new SingleFlight<AuthResult<DiscoveryDocument>>();

  constructor(options: DiscoveryOptions) {
    this.#options = options;
  }

  /** The endpoints of the auth server at `authServerUrl`. */
  async discover(
    authServerUrl: string,
    signal?: AbortSignal,
  ): Promise<AuthResult<DiscoveryDocument>> {
    const base = serverBaseUrl(authServerUrl, 'auth server');
    if (!base.ok) {
      return base;
    }

    const now = this.#options.clock.now();
    const cached = this.#cache.get(base.value);
    if (cached !== undefined && cached.until > now) {
      return { ok: true, value: cached.document };
    }

    const flight = this.#flights.run(base.value, () => this.#lookUp(base.value));
    return whileNotAborted(flight, signal, () =>
      failed(cancelledFailure(signal, 'Looking up the auth server')),
    );
  }

  /** Drops cached documents: one auth server's, or all. */
  forget(authServerUrl?: string): void {
    if (authServerUrl === undefined) {
      this.#cache.clear();
      return;
    }
    const base = serverBaseUrl(authServerUrl, 'auth server');
    if (base.ok) {
      this.#cache.delete(base.value);
    }
  }

  async #lookUp(base: string): Promise<AuthResult<DiscoveryDocument>> {
    const result = await fetchDiscoveryDocument(base, this.#options);
    if (result.ok) {
      const until =
        this.#options.clock.now() + (this.#options.cacheMs ?? DISCOVERY_CACHE_MS);
      this.#cache.set(base, { document: result.value, until });
    } else {
      this.#options.log?.warn('discovery failed: %s', result.failure.message);
    }

    return result;
  }
}

/** Fetches and checks the discovery document of the auth server at `base`. */
export async function fetchDiscoveryDocument(
  base: string,
  http: AuthHttp,
  signal?: AbortSignal,
): Promise<AuthResult<DiscoveryDocument>> {
  const sent = await sendRequest(
    `${base}${DISCOVERY_PATH}`,
    { method: 'GET', headers: { accept: 'application/json' } },
    http,
    signal,
  );
  if (sent.kind === 'failed') {
    return failed(sent.failure);
  }
  const answer = readJson(sent);
  if (answer.kind === 'failed') {
    return failed(answer.failure);
  }
  if (answer.status !== 200) {
    return failed(unusable(`it has no discovery document (HTTP ${answer.status}).`));
  }

  return parseDocument(answer.body, base);
}

function parseDocument(body: unknown, base: string): AuthResult<DiscoveryDocument> {
  const parsed = documentSchema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return failed(
      unusable(
        `its discovery document has no valid ${String(field ?? 'token_endpoint')}.`,
      ),
    );
  }

  const fields = parsed.data;
  for (const field of Object.keys(fields) as EndpointField[]) {
    const value = fields[field];
    if (value !== undefined && !isAcceptableEndpoint(value, base)) {
      return failed(unusable(`its discovery document has no valid ${field}.`));
    }
  }

  return {
    ok: true,
    value: {
      tokenEndpoint: fields.token_endpoint,
      deviceAuthorizationEndpoint: fields.device_authorization_endpoint ?? null,
      revocationEndpoint: fields.revocation_endpoint ?? null,
    },
  };
}

/**
 * An endpoint must be an http(s) URL, and https when the auth server itself
 * is reached over https: a discovery document must not downgrade the
 * connection that tokens travel over.
 */
function isAcceptableEndpoint(value: string, base: string): boolean {
  try {
    const { protocol } = new URL(value);
    return base.startsWith('https:') ? protocol === 'https:' : /^https?:$/.test(protocol);
  } catch {
    return false;
  }
}

function unusable(message: string): AuthFailure {
  return authFailure(
    'server-unavailable',
    `Auth server unavailable: ${message}`,
    'unexpected',
  );
}
