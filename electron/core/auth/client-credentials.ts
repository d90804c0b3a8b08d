import type { Logger } from '../logger.js';
import {
  authFailure,
  cancelledFailure,
  failed,
  type AuthResult,
} from './auth-failure.js';
import { serverBaseUrl, type AuthHttp, type ServerTime } from './auth-http.js';
import { tokenExpiresAt } from './issued-tokens.js';
import { postTokenRequest } from './token-endpoint.js';

/** The data API pydoover uses when a profile names none. */
export const DEFAULT_DATA_API_URL = 'https://data.doover.com/api';

/** A service account: a confidential client of the data API. */
export interface ServiceAccountCredentials {
  /** BASE_DATA_URL; the Doover default when empty or missing. */
  dataBaseUrl?: string | null;
  clientId: string;
  clientSecret: string;
}

export interface ServiceTokenDeps extends AuthHttp {
  log?: Logger;
}

/** A service account's new token; there is never a refresh token. */
export interface ServiceToken {
  fields: { TOKEN: string; TOKEN_EXPIRES: number | null };
  serverTime: ServerTime;
}

/**
 * Gets a data API token for a service account (client credentials,
 * RFC 6749 section 4.4) from `{dataBaseUrl}/oauth2/token`, as pydoover does:
 * HTTP Basic authentication and the form body `grant_type=client_credentials&scope=`.
 */
export async function requestServiceToken(
  credentials: ServiceAccountCredentials,
  deps: ServiceTokenDeps,
  signal?: AbortSignal,
): Promise<AuthResult<ServiceToken>> {
  const base = serverBaseUrl(
    credentials.dataBaseUrl?.trim() || DEFAULT_DATA_API_URL,
    'data API',
  );
  if (!base.ok) {
    return base;
  }
  if (credentials.clientId === '' || credentials.clientSecret === '') {
    return failed(
      authFailure(
        'cannot-refresh',
        'A service account needs both a client id and a client secret.',
      ),
    );
  }

  const outcome = await postTokenRequest(
    {
      endpoint: `${base.value}/oauth2/token`,
      form: { grant_type: 'client_credentials', scope: '' },
      basicAuth: {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
      },
    },
    deps,
    signal,
  );
  deps.log?.info('service account token request: %s', outcome.kind);

  switch (outcome.kind) {
    case 'success': {
      const { tokens, serverTime } = outcome;
      const expires = tokenExpiresAt(tokens, serverTime.sentAt);
      return {
        ok: true,
        value: {
          fields: { TOKEN: tokens.access_token, TOKEN_EXPIRES: expires },
          serverTime,
        },
      };
    }
    case 'oauth-error':
      return failed(
        authFailure('rejected', serviceAccountRefusal(outcome.error, outcome.message)),
      );
    case 'failed':
      return failed(
        outcome.failure.kind === 'cancelled'
          ? cancelledFailure(signal, 'The token request')
          : outcome.failure,
      );
    default:
      return failed(
        authFailure(
          'rejected',
          `The data API refused the service account with an unexpected answer (${outcome.kind}).`,
        ),
      );
  }
}

function serviceAccountRefusal(error: string, message: string): string {
  return error === 'invalid_client'
    ? 'The data API did not accept this client id and secret (invalid_client).'
    : message;
}
