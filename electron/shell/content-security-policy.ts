/**
 * The page's Content Security Policy, built up from `default-src 'none'`.
 * Scripts and styles come only from the app's own files; images may also be
 * data URLs (QR codes); `connect-src 'self'` lets browser mode reach its own
 * loopback API. No inline script or style, no eval, no fonts but the system's.
 *
 * renderer/index.html carries exactly this string in its CSP meta tag (a test
 * checks it), because a page loaded from a file has no response headers of its
 * own; both shells also send it as a header.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The header form adds what a meta tag cannot carry: no framing by any page. */
export const contentSecurityPolicyHeader = `${contentSecurityPolicy}; frame-ancestors 'none'`;
