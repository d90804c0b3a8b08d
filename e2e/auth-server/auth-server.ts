import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountDirectory, subjectForEmail } from './accounts.js';
import { decideDevice } from './device-approval.js';
import { FaultController } from './faults.js';
import { DATA_TOKEN_PATH, frontRequestHandler } from './front-server.js';
import { PollLimit } from './poll-limit.js';
import { createProvider, DOOVER_CLIENT_ID } from './provider-config.js';
import type { ServiceClient } from './provider-config.js';
import type { LoggedRequest } from './request-log.js';

export type { Endpoint, Fault, FaultOptions } from './faults.js';
export type { LoggedRequest } from './request-log.js';
export type { ServiceClient } from './provider-config.js';
export { DOOVER_CLIENT_ID, DEVICE_CODE_GRANT } from './provider-config.js';

/** How a test auth server behaves; every field has a FusionAuth-like default. */
export interface AuthServerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (default 30 days). */
  refreshTokenTtl?: number;
  /** How long a device sign-in may wait for approval, in seconds (default 600). */
  deviceCodeTtl?: number;
  /** Issue a new refresh token on each refresh (default true). */
  rotateRefreshTokens?: boolean;
  /** The public client's id (default Doover's). */
  clientId?: string;
  /** The confidential client-credentials client (default a random secret). */
  serviceClient?: ServiceClient;
  /** The `interval` of device authorization answers, in seconds (default 5). */
  pollIntervalSeconds?: number;
  /** Answer `slow_down` to device polls sooner than the interval (default false). */
  enforcePollInterval?: boolean;
  /** Called once each request has been answered, with credentials hidden. */
  onRequest?: (request: LoggedRequest) => void;
}

/** What the person at the verification page does in `approveDevice`. */
export interface DeviceApproval {
  /** The email the tokens carry (default person@example.com when no `sub` is given). */
  email?: string;
  /** The token subject (default a UUID derived from the email). */
  sub?: string;
  /** Abort the sign-in instead of approving it. */
  deny?: boolean;
}

/** A running OAuth 2.0 server that answers like Doover's auth server. */
export interface AuthServer {
  /** The issuer and auth server URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** A data API base URL whose `/oauth2/token` serves client credentials. */
  dataApiUrl: string;
  clientId: string;
  serviceClient: ServiceClient;
  /** Faults and date skew, set by tests. */
  faults: FaultController;
  /** Every request received, oldest first, with credentials hidden. */
  requests: LoggedRequest[];
  /** Approves (or denies) a pending device sign-in through the real pages. */
  approveDevice(userCode: string, approval?: DeviceApproval): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_EMAIL = 'person@example.com';
const THIRTY_DAYS = 30 * 24 * 60 * 60;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function accountFor(approval: DeviceApproval): { sub: string; email?: string } {
  if (approval.sub !== undefined) {
    return approval.email === undefined
      ? { sub: approval.sub }
      : { sub: approval.sub, email: approval.email };
  }
  const email = approval.email ?? DEFAULT_EMAIL;

  return { sub: subjectForEmail(email), email };
}

/** Starts an oidc-provider behind a fault-injecting front server on 127.0.0.1. */
export async function startAuthServer(
  options: AuthServerOptions = {},
): Promise<AuthServer> {
  const front = createServer();
  const port = await listen(front, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  const accounts = new AccountDirectory();
  const clientId = options.clientId ?? DOOVER_CLIENT_ID;
  const serviceClient = options.serviceClient ?? {
    clientId: 'doover-test-service-account',
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const provider = await createProvider({
    issuer: url,
    clientId,
    serviceClient,
    accessTokenTtl: options.accessTokenTtl ?? 3600,
    refreshTokenTtl: options.refreshTokenTtl ?? THIRTY_DAYS,
    deviceCodeTtl: options.deviceCodeTtl ?? 600,
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    accounts,
  });
  const backend = createServer(provider.callback());
  const providerPort = await listen(backend, 0);
  const faults = new FaultController();
  const requests: LoggedRequest[] = [];
  const pollIntervalSeconds = options.pollIntervalSeconds ?? 5;
  const pollLimit = options.enforcePollInterval
    ? new PollLimit(pollIntervalSeconds)
    : undefined;
  front.on(
    'request',
    frontRequestHandler({
      providerPort,
      faults,
      requests,
      pollIntervalSeconds,
      pollLimit,
      onRequest: options.onRequest,
    }),
  );

  return {
    url,
    dataApiUrl: `${url}${DATA_TOKEN_PATH.replace(/\/oauth2\/token$/, '')}`,
    clientId,
    serviceClient,
    faults,
    requests,
    async approveDevice(userCode, approval = {}) {
      const account = accountFor(approval);
      accounts.add(account);
      await decideDevice(url, userCode, {
        sub: account.sub,
        deny: approval.deny ?? false,
      });
    },
    async close() {
      await Promise.all([close(front), close(backend)]);
    },
  };
}
