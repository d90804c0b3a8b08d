import type { DooverApi } from '../../shared/contract';
import { createHttpBridge } from './http-bridge';
// Brings in the `window.doover` declaration wherever this module is compiled.
import type {} from './window';

const secretKey = 'doover-profiles:launch-secret';

let api: DooverApi | undefined;

/**
 * The page's API: the Electron preload's `window.doover` in the desktop app,
 * otherwise the HTTP bridge to browser mode's loopback server.
 */
export function getDooverApi(): DooverApi {
  api ??=
    window.doover ?? createHttpBridge(takeLaunchSecret(window), window.location.origin);
  return api;
}

/**
 * The launch secret browser mode hands over in the address's fragment
 * (`#secret=HEX`). It is removed from the address bar at once, so it does not
 * linger in history or get copied along with the address, and kept in this
 * tab's session storage so a reload still works. Empty when there is none:
 * every call then fails with an explanation.
 */
export function takeLaunchSecret(page: Window): string {
  const params = new URLSearchParams(page.location.hash.slice(1));
  const fromAddress = params.get('secret');
  if (fromAddress === null) {
    return readStoredSecret(page) ?? '';
  }

  params.delete('secret');
  const rest = params.toString();
  const { pathname, search } = page.location;
  page.history.replaceState(
    page.history.state,
    '',
    `${pathname}${search}${rest ? `#${rest}` : ''}`,
  );
  storeSecret(page, fromAddress);
  return fromAddress;
}

// Session storage can be disabled by the user; the page then works until a reload.
function readStoredSecret(page: Window): string | null {
  try {
    return page.sessionStorage.getItem(secretKey);
  } catch {
    return null;
  }
}

function storeSecret(page: Window, secret: string): void {
  try {
    page.sessionStorage.setItem(secretKey, secret);
  } catch {
    // Not stored: see readStoredSecret.
  }
}
