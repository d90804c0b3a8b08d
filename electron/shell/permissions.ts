import { isAppPage } from './sender-guard.js';

/** What the app knows about a page's permission request or check. */
export interface PermissionAsk {
  permission: string;
  /** Whether the asking web contents belongs to one of the app's own windows. */
  fromOwnWindow: boolean;
  isMainFrame: boolean;
  /** The URL the asking frame last loaded; unknown for checks not made by a document. */
  requestingUrl: string | undefined;
}

/**
 * Writing to the clipboard stays allowed so a user can copy a value they
 * asked to see. Reading it is allowed to the app's own page only: after
 * copying a token, the page reads the clipboard back so it clears the token
 * only while the clipboard still holds it, never something copied since.
 * Every other request (camera, notifications, geolocation, ...) is denied.
 */
const allowedEverywhere: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);
const allowedToAppPage: ReadonlySet<string> = new Set(['clipboard-read']);

/** Whether the app grants a web permission to the page that asks. */
export function isPermissionAllowed(ask: PermissionAsk, appUrl: string): boolean {
  if (allowedEverywhere.has(ask.permission)) return true;
  if (!allowedToAppPage.has(ask.permission)) return false;

  return (
    ask.fromOwnWindow &&
    ask.isMainFrame &&
    ask.requestingUrl !== undefined &&
    isAppPage(ask.requestingUrl, appUrl)
  );
}
