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

describe('tokens and ids in a profile', () => {
  it('accepts what servers issue', () => {
    expect(
      fieldChangesProblem({
        TOKEN: 'eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3OTYzMTY5MTR9.c2ln-_',
        REFRESH_TOKEN: 'Zm9v/YmFy+YmF6=',
        AGENT_ID: '6f1c2d3e-0000-4000-8000-000000000001',
        AUTH_SERVER_CLIENT_ID: '08a9ae8c-0668-428b-a691-f7eaa526aca0',
      }),
    ).toBeNull();
  });

  it.each([
    [{ TOKEN: '  pasted  ' }, 'The token (TOKEN) cannot contain spaces'],
    [{ TOKEN: 'Bearer eyJ.x.y' }, 'leave out the word “Bearer”'],
    [
      { REFRESH_TOKEN: 'two parts' },
      'The refresh token (REFRESH_TOKEN) cannot contain spaces',
    ],
    [{ AGENT_ID: 'a\u0000b' }, 'The agent ID (AGENT_ID) cannot contain spaces, tabs'],
    [{ AGENT_ID: 'a\tb' }, 'invisible characters'],
    [{ AUTH_SERVER_CLIENT_ID: 'id\u200b' }, 'invisible characters'],
    [{ TOKEN: 'one\ntwo' }, 'The token (TOKEN) cannot contain a line break'],
  ])('refuses %j, naming the field in words', (fields, reason) => {
    expect(fieldChangesProblem(fields)).toContain(reason);
  });

  it('never repeats the value it refuses', () => {
    expect(fieldChangesProblem({ TOKEN: 'Bearer secret-value' })).not.toContain('secret');
  });
});
