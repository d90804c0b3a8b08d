const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a link may be handed to the default browser: https anywhere, or
 * plain http to this machine only (local tools such as browser mode). Every
 * other scheme (file:, javascript:, custom protocol handlers) is refused, as
 * are URLs carrying credentials.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return false;
  }

  if (parsed.protocol === 'https:') {
    return true;
  }
  return parsed.protocol === 'http:' && loopbackHosts.has(parsed.hostname);
}
