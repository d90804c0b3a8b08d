import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from './external-links.js';

describe('isSafeExternalUrl', () => {
  it.each([
    'https://auth.doover.com/oauth2/device?user_code=ABCD',
    'https://docs.doover.com',
    'http://127.0.0.1:8080/',
    'http://localhost:5173/path',
    'http://[::1]:3000/',
  ])('lets the default browser open %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    'http://doover.com',
    'http://127.0.0.1.evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'smb://server/share',
    'ms-settings:',
    'https://user:pass@doover.com/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});
