import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { contentSecurityPolicyHeader } from '../shell/content-security-policy.js';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** Headers every page response carries, whatever the file. */
export const pageSecurityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicyHeader,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Serves the built renderer. Only regular files inside `rendererRoot` (a real
 * path, symlinks resolved) are sent; a path that leads outside it, by `..`,
 * encoded separators or a symlink, is answered like a missing file.
 */
export async function serveStaticFile(
  request: IncomingMessage,
  response: ServerResponse,
  rendererRoot: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendPlain(response, 405, 'Method not allowed');
    return;
  }

  const file = await resolveInside(rendererRoot, requestPath(request));
  if (file === undefined) {
    sendPlain(response, 404, 'Not found');
    return;
  }

  const body = await readFile(file);
  response.writeHead(200, {
    ...pageSecurityHeaders,
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': extname(file) === '.html' ? 'no-store' : 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function requestPath(request: IncomingMessage): string | undefined {
  try {
    const { pathname } = new URL(request.url ?? '/', 'http://placeholder');
    const decoded = decodeURIComponent(pathname);
    return decoded === '/' ? 'index.html' : decoded.slice(1);
  } catch {
    return undefined;
  }
}

async function resolveInside(
  root: string,
  path: string | undefined,
): Promise<string | undefined> {
  if (path === undefined || path.includes('\0') || !isInside(root, join(root, path))) {
    return undefined;
  }

  try {
    const real = await realpath(join(root, path));
    const info = await stat(real);
    return isInside(root, real) && info.isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A short plain-text answer that still carries the page security headers. */
export function sendPlain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    ...pageSecurityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(text);
}
