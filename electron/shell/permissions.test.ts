import { describe, expect, it } from 'vitest';
import { isPermissionAllowed, type PermissionAsk } from './permissions.js';

const appUrl = 'file:///opt/doover-profiles/dist/renderer/index.html';

function ask(changes: Partial<PermissionAsk>): PermissionAsk {
  return {
    permission: 'clipboard-read',
    fromOwnWindow: true,
    isMainFrame: true,
    requestingUrl: `${appUrl}#/profiles/default`,
    ...changes,
  };
}

describe('isPermissionAllowed', () => {
  it('grants writing to the clipboard', () => {
    expect(
      isPermissionAllowed(ask({ permission: 'clipboard-sanitized-write' }), appUrl),
    ).toBe(true);
  });

  it('grants reading the clipboard to our window main frame showing our page', () => {
    expect(isPermissionAllowed(ask({}), appUrl)).toBe(true);
  });

  it.each<[string, Partial<PermissionAsk>]>([
    ['another web contents', { fromOwnWindow: false }],
    ['a subframe of our window', { isMainFrame: false }],
    ['our window showing another page', { requestingUrl: 'https://example.com/' }],
    ['another file', { requestingUrl: 'file:///tmp/index.html' }],
    ['a check made for no document', { requestingUrl: undefined }],
  ])('refuses reading the clipboard to %s', (_what, changes) => {
    expect(isPermissionAllowed(ask(changes), appUrl)).toBe(false);
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'fullscreen',
    'deprecated-sync-clipboard-read',
  ])('refuses %s even to our own page', (permission) => {
    expect(isPermissionAllowed(ask({ permission }), appUrl)).toBe(false);
  });
});
