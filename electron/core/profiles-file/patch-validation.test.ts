import { describe, expect, it } from 'vitest';
import { fieldChangesProblem } from './patch-validation.js';

describe('web addresses in a profile', () => {
  it.each([
    'https://api.doover.com',
    'http://127.0.0.1:9011/api',
    'HTTPS://API.DOOVER.COM',
  ])('accepts %s', (url) => {
    expect(fieldChangesProblem({ BASE_URL: url })).toBeNull();
  });

  it.each([
    ['https:api.doover.com', 'must start with https://'],
    ['https:/api.doover.com', 'must start with https://'],
    ['ftp://api.doover.com', 'must start with https://'],
    ['api.doover.com', 'web address'],
    ['https://user:secret@api.doover.com', 'user name or password'],
    ['https://user@api.doover.com', 'user name or password'],
  ])('refuses %s, saying why', (url, reason) => {
    const problem = fieldChangesProblem({ AUTH_SERVER_URL: url });

    expect(problem).toContain(reason);
    expect(problem).not.toContain('secret');
  });
});
