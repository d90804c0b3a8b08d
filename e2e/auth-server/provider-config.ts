import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Provider from 'oidc-provider';
import type { Account, ClientLike, TokenLike } from 'oidc-provider';
import type { AccountDirectory } from './accounts.js';
import {
  deviceInfo,
  successSource,
  userCodeConfirmSource,
  userCodeInputSource,
} from './device-pages.js';

/** Doover's public client id, shared by production and staging. */
export const DOOVER_CLIENT_ID = '08a9ae8c-0668-428b-a691-f7eaa526aca0';

/** The device-code grant type of RFC 8628. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** FusionAuth's endpoint paths, so clients see the same URLs as in production. */
export const ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  device_authorization: '/oauth2/device_authorize',
  code_verification: '/oauth2/device',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  userinfo: '/oauth2/userinfo',
  end_session: '/oauth2/logout',
  jwks: '/.well-known/jwks.json',
} as const;

/** A confidential client that signs in with its own id and secret. */
export interface ServiceClient {
  clientId: string;
  clientSecret: string;
}

/** Everything the provider's behaviour depends on. */
export interface ProviderSettings {
  issuer: string;
  clientId: string;
  serviceClient: ServiceClient;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  deviceCodeTtl: number;
  rotateRefreshTokens: boolean;
  accounts: AccountDirectory;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh RS256 signing key for each server: nothing outlives a test. */
async function createSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
  });

  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
}

function clients(settings: ProviderSettings): Record<string, unknown>[] {
  return [
    {
      client_id: settings.clientId,
      client_name: 'Doover',
      token_endpoint_auth_method: 'none',
      grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: settings.serviceClient.clientId,
      client_secret: settings.serviceClient.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ];
}

/**
 * Access tokens are JWTs only when issued for a resource server, so every
 * token is issued for one API resource whose audience is the client, as
 * FusionAuth does with its application id.
 */
function resourceIndicators(settings: ProviderSettings): Record<string, unknown> {
  const resource = `${settings.issuer}/api`;

  return {
    enabled: true,
    defaultResource: () => resource,
    useGrantedResource: () => true,
    getResourceServerInfo: (_ctx: unknown, _resource: string, client: ClientLike) => ({
      scope: '',
      audience: client.clientId,
      accessTokenFormat: 'jwt',
      accessTokenTTL: settings.accessTokenTtl,
      jwt: { sign: { alg: 'RS256' } },
    }),
  };
}

function ttl(settings: ProviderSettings): Record<string, number> {
  return {
    AccessToken: settings.accessTokenTtl,
    ClientCredentials: settings.accessTokenTtl,
    DeviceCode: settings.deviceCodeTtl,
    RefreshToken: settings.refreshTokenTtl,
    Grant: settings.refreshTokenTtl,
    Session: settings.refreshTokenTtl,
    Interaction: 60 * 60,
    IdToken: settings.accessTokenTtl,
  };
}

function accountCallbacks(accounts: AccountDirectory): Record<string, unknown> {
  return {
    findAccount: (_ctx: unknown, sub: string): Account => ({
      accountId: sub,
      claims: () => ({ ...accounts.find(sub) }),
    }),
    extraTokenClaims: (_ctx: unknown, token: TokenLike) => {
      const email =
        token.accountId === undefined ? undefined : accounts.find(token.accountId).email;

      return {
        applicationId: token.clientId,
        ...(email === undefined ? {} : { email }),
      };
    },
  };
}

/**
 * The in-memory store and the development sign-in pages are exactly what a
 * test server wants; the provider warns about them on every instance, so
 * those two warnings are held back while it is built.
 */
function withoutDevelopmentWarnings<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('a quick start development-only')) {
      warn(...args);
    }
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

/** An oidc-provider instance configured to answer like Doover's FusionAuth. */
export async function createProvider(settings: ProviderSettings): Promise<Provider> {
  const signingKey = await createSigningKey();

  return withoutDevelopmentWarnings(
    () => new Provider(settings.issuer, configuration(settings, signingKey)),
  );
}

function configuration(
  settings: ProviderSettings,
  signingKey: Record<string, unknown>,
): Record<string, unknown> {
  return {
    clients: clients(settings),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    routes: ROUTES,
    ttl: ttl(settings),
    rotateRefreshToken: settings.rotateRefreshTokens,
    ...accountCallbacks(settings.accounts),
    features: {
      devInteractions: { enabled: true },
      deviceFlow: {
        enabled: true,
        deviceInfo,
        userCodeInputSource,
        userCodeConfirmSource,
        successSource,
      },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: ClientLike, token: TokenLike) =>
          token.clientId === client.clientId,
      },
      resourceIndicators: resourceIndicators(settings),
    },
  };
}
