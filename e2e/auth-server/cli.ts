import { Command, InvalidArgumentError } from 'commander';
import { startAuthServer } from './auth-server.js';
import type { AuthServer, LoggedRequest } from './auth-server.js';

/** FusionAuth's own default port, so the URL looks familiar. */
const DEFAULT_PORT = 9011;

interface CliOptions {
  port: number;
  accessTtl: number;
  refreshTtl: number;
  rotation: boolean;
  pollInterval: number;
  enforcePollInterval: boolean;
  serviceClientId: string;
  serviceClientSecret: string;
}

function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError('expected a whole number');
  }

  return parsed;
}

function parseOptions(argv: string[]): CliOptions {
  return new Command('auth-server')
    .description(
      "A local OAuth 2.0 server that answers like Doover's auth server, for trials and tests.",
    )
    .option(
      '--port <port>',
      'port on 127.0.0.1 (0 picks a free one)',
      wholeNumber,
      DEFAULT_PORT,
    )
    .option('--access-ttl <seconds>', 'access token lifetime', wholeNumber, 3600)
    .option(
      '--refresh-ttl <seconds>',
      'refresh token lifetime',
      wholeNumber,
      30 * 24 * 60 * 60,
    )
    .option('--no-rotation', 'keep the same refresh token on refresh')
    .option(
      '--poll-interval <seconds>',
      'device sign-in polling interval',
      wholeNumber,
      5,
    )
    .option(
      '--enforce-poll-interval',
      'answer slow_down to polls that come too soon',
      false,
    )
    .option(
      '--service-client-id <id>',
      'client-credentials client id',
      'local-service-account',
    )
    .option(
      '--service-client-secret <secret>',
      'client-credentials client secret',
      'local-service-secret',
    )
    .parse(argv)
    .opts<CliOptions>();
}

function describe(server: AuthServer, options: CliOptions): string {
  return [
    `Doover test auth server running at ${server.url}`,
    '',
    'Point a Custom environment at it:',
    `  Auth server URL       ${server.url}`,
    `  Control API URL       ${server.url}   (answers only the OAuth endpoints)`,
    `  Data API URL          ${server.dataApiUrl}`,
    `  Client id             ${server.clientId}`,
    '',
    `Sign-in codes are entered at ${server.url}/oauth2/device (any login is accepted;`,
    'one that looks like an email is put in the token as the email).',
    '',
    `Service account: POST ${server.dataApiUrl}/oauth2/token with HTTP Basic`,
    `  client id ${server.serviceClient.clientId} and the secret given by --service-client-secret.`,
    '',
    `Access tokens live ${options.accessTtl} s; refresh tokens ${options.rotation ? 'rotate' : 'do not rotate'}.`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}

function printRequest(request: LoggedRequest): void {
  const status = request.status === undefined ? 'no answer' : String(request.status);
  const grant =
    request.form.grant_type === undefined ? '' : ` ${request.form.grant_type}`;
  process.stdout.write(`${request.method} ${request.path}${grant} -> ${status}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const server = await startAuthServer({
    port: options.port,
    accessTokenTtl: options.accessTtl,
    refreshTokenTtl: options.refreshTtl,
    rotateRefreshTokens: options.rotation,
    pollIntervalSeconds: options.pollInterval,
    enforcePollInterval: options.enforcePollInterval,
    serviceClient: {
      clientId: options.serviceClientId,
      clientSecret: options.serviceClientSecret,
    },
    onRequest: printRequest,
  });
  process.stdout.write(`${describe(server, options)}\n\n`);

  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `auth-server: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
