import { timingSafeEqual } from 'node:crypto';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether a listen address keeps the server on this machine. */
export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host);
}

/**
 * The `Host` values a request to this server may carry. Anything else means
 * the request reached us under a foreign name (DNS rebinding) and is refused.
 */
export function allowedHostHeaders(host: string, port: number): ReadonlySet<string> {
  const listenHost = host.includes(':') ? `[${host}]` : host;

  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `${listenHost}:${port}`]);
}

/** The page's own origin is fine, and so is none (same-origin GET sends none). */
export function isAllowedOrigin(
  origin: string | undefined,
  hostHeaders: ReadonlySet<string>,
): boolean {
  if (origin === undefined) {
    return true;
  }

  return [...hostHeaders].some((hostHeader) => origin === `http://${hostHeader}`);
}

/**
 * Whether an `Authorization` header carries the launch secret. The comparison
 * takes the same time however much of the secret matches.
 */
export function hasLaunchSecret(
  authorization: string | undefined,
  secret: string,
): boolean {
  const match = /^Bearer ([0-9a-f]+)$/.exec(authorization ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(secret);
  if (given.length !== expected.length) {
    return false;
  }

  return timingSafeEqual(given, expected);
}
