import { app, BrowserWindow, session, shell, type WebContents } from 'electron';
import { scopedLogger, type Logger } from '../core/logger.js';
import { contentSecurityPolicyHeader } from './content-security-policy.js';
import { isSafeExternalUrl } from './external-links.js';
import { isPermissionAllowed, type PermissionAsk } from './permissions.js';

/**
 * App-wide guards, set before the app is ready: every renderer is sandboxed,
 * and every web contents the app ever creates may neither navigate away, open
 * a window nor embed a webview. Safe links go to the default browser instead.
 */
export function setupSecurityGuards(log: Logger): void {
  const guardLog = scopedLogger(log, 'security');
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, guardLog),
  );
}

function guardWebContents(contents: WebContents, log: Logger): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url, log);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('refused to attach a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
}

function openExternally(url: string, log: Logger): void {
  if (!isSafeExternalUrl(url)) {
    log.warn('refused to open a link that is neither https nor local http');
    return;
  }

  shell.openExternal(url).catch((error: unknown) => {
    log.warn({ err: error }, 'the default browser could not open a link');
  });
}

/** After ready: the page gets no permission beyond the few it needs. */
export function setupPermissionPolicy(appUrl: string): void {
  const { defaultSession } = session;
  defaultSession.setPermissionRequestHandler(
    (contents, permission, callback, details) => {
      callback(isPermissionAllowed(permissionAsk(contents, permission, details), appUrl));
    },
  );
  defaultSession.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionAllowed(permissionAsk(contents, permission, details), appUrl),
  );
  defaultSession.setDevicePermissionHandler(() => false);
}

function permissionAsk(
  contents: WebContents | null,
  permission: string,
  details: { isMainFrame: boolean; requestingUrl?: string | undefined },
): PermissionAsk {
  return {
    permission,
    fromOwnWindow: contents !== null && BrowserWindow.fromWebContents(contents) !== null,
    isMainFrame: details.isMainFrame,
    requestingUrl: details.requestingUrl,
  };
}

/**
 * Sends the CSP as a response header as well. LIMITATION: a page loaded from
 * a file has no HTTP response, and not every Electron release passes file
 * responses through webRequest; the identical meta tag in index.html is what
 * guarantees the policy there.
 */
export function setupContentSecurityPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicyHeader],
      },
    });
  });
}
