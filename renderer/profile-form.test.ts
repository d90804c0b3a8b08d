import { describe, expect, it } from 'vitest';
import {
  changedFields,
  formValuesOf,
  keepSecret,
  localInputToSeconds,
  newProfileFields,
  profileNameProblem,
  secondsToLocalInput,
  serverFieldsFor,
  suggestedCopyName,
  urlProblem,
} from './profile-form';
import { makeProfile } from './testing/sample-snapshot';

const unchangedSecrets = { token: keepSecret, refreshToken: keepSecret };

describe('profile names', () => {
  it('accepts any name Doover’s tools read back as written', () => {
    for (const name of ['default', 'Copy of default', 'a]b', 'ünï côdé', 'x=y']) {
      expect(profileNameProblem(name)).toBeNull();
    }
  });

  it('refuses an empty name, a line break, and blanks at either end, saying why', () => {
    expect(profileNameProblem('')).toBe('A profile needs a name.');
    for (const name of ['a\nb', 'a\rb', 'a\u2028b', 'a\x85b', 'a\x1cb']) {
      expect(profileNameProblem(name)).toMatch(/cannot contain a line break/);
    }
    for (const name of [' default', 'default ', '\tdefault', 'default\u00a0']) {
      expect(profileNameProblem(name)).toMatch(/cannot start or end with a space/);
    }
  });
});

describe('server addresses', () => {
  it('accepts http and https addresses, and empty unless required', () => {
    expect(urlProblem('https://api.doover.com')).toBeNull();
    expect(urlProblem('http://127.0.0.1:9011/api')).toBeNull();
    expect(urlProblem('')).toBeNull();
    expect(urlProblem('', true)).toMatch(/Enter a web address/);
  });

  it('refuses other schemes, non-addresses and surrounding spaces', () => {
    expect(urlProblem('ftp://files.example.com')).toMatch(/must start with https:\/\//);
    expect(urlProblem('api.doover.com')).toMatch(/such as https:\/\/api.doover.com/);
    expect(urlProblem(' https://api.doover.com')).toMatch(/space/);
    expect(urlProblem('https:api.doover.com')).toMatch(/must start with https:\/\//);
    expect(urlProblem('https://ops:hunter2@api.doover.com')).toMatch(
      /user name and password/,
    );
  });
});

describe('expiry as local date and time', () => {
  it('round-trips whole seconds through the input’s text in local time', () => {
    const seconds = new Date(2026, 0, 3, 14, 50, 7).getTime() / 1000;

    const text = secondsToLocalInput(seconds);

    expect(text).toBe('2026-01-03T14:50:07');
    expect(localInputToSeconds(text)).toBe(seconds);
  });

  it('reads the shorter forms browsers write, and refuses what is not a date', () => {
    expect(localInputToSeconds('2026-01-03T14:50')).toBe(
      new Date(2026, 0, 3, 14, 50).getTime() / 1000,
    );
    expect(localInputToSeconds('2026-01-03T14:50:07.5')).toBe(
      new Date(2026, 0, 3, 14, 50, 7, 500).getTime() / 1000,
    );
    expect(localInputToSeconds('2026-02-31T10:00')).toBeNull();
    expect(localInputToSeconds('0000-01-01T00:00')).toBeNull();
    expect(localInputToSeconds('tomorrow')).toBeNull();
  });

  it('keeps years below 100 as they are', () => {
    const seconds = localInputToSeconds('0099-06-01T00:00');

    expect(new Date((seconds ?? 0) * 1000).getFullYear()).toBe(99);
  });
});

describe('changedFields', () => {
  const profile = makeProfile({ tokenExpires: 1_767_450_725.82 });

  it('is empty when nothing was touched, fractional expiry included', () => {
    const values = formValuesOf(profile);

    expect(changedFields(values, { ...values }, unchangedSecrets)).toEqual({});
  });

  it('holds only the fields the user changed', () => {
    const initial = formValuesOf(profile);

    const changes = changedFields(
      initial,
      { ...initial, BASE_URL: 'https://api.example.com', AGENT_ID: 'agent-1' },
      unchangedSecrets,
    );

    expect(changes).toEqual({ BASE_URL: 'https://api.example.com', AGENT_ID: 'agent-1' });
  });

  it('sends an emptied field as empty, an emptied expiry as null, and a new one in seconds', () => {
    const initial = formValuesOf(profile);

    expect(
      changedFields(initial, { ...initial, BASE_URL: '' }, unchangedSecrets),
    ).toEqual({
      BASE_URL: '',
    });
    expect(
      changedFields(initial, { ...initial, TOKEN_EXPIRES: '' }, unchangedSecrets),
    ).toEqual({ TOKEN_EXPIRES: null });
    expect(
      changedFields(
        initial,
        { ...initial, TOKEN_EXPIRES: '2026-01-03T15:00' },
        unchangedSecrets,
      ),
    ).toEqual({ TOKEN_EXPIRES: new Date(2026, 0, 3, 15, 0).getTime() / 1000 });
  });

  it('sends a secret only when one was pasted or its removal asked for', () => {
    const values = formValuesOf(profile);

    expect(
      changedFields(values, values, {
        token: { replacement: 'new-token', remove: false },
        refreshToken: { replacement: 'ignored', remove: true },
      }),
    ).toEqual({ TOKEN: 'new-token', REFRESH_TOKEN: '' });
  });
});

describe('new profiles', () => {
  it('suggests "Copy of NAME", numbered when that is taken', () => {
    expect(suggestedCopyName('default', new Set(['default']))).toBe('Copy of default');
    expect(
      suggestedCopyName(
        'default',
        new Set(['default', 'Copy of default', 'Copy of default (2)']),
      ),
    ).toBe('Copy of default (3)');
  });

  it('takes a Doover environment’s addresses and client id, or the custom ones', () => {
    const staging = serverFieldsFor('staging', {
      AUTH_SERVER_URL: 'ignored',
      BASE_URL: '',
      BASE_DATA_URL: '',
      AUTH_SERVER_CLIENT_ID: '',
    });
    expect(staging.BASE_URL).toBe('https://api.staging.udoover.com');
    expect(staging.AUTH_SERVER_CLIENT_ID).toBe('08a9ae8c-0668-428b-a691-f7eaa526aca0');

    const custom = {
      AUTH_SERVER_URL: 'http://127.0.0.1:9011',
      BASE_URL: 'http://127.0.0.1:9012',
      BASE_DATA_URL: 'http://127.0.0.1:9013',
      AUTH_SERVER_CLIENT_ID: '',
    };
    expect(
      newProfileFields(serverFieldsFor('custom', custom), {
        token: '',
        refreshToken: 'r',
      }),
    ).toEqual({
      AUTH_SERVER_URL: 'http://127.0.0.1:9011',
      BASE_URL: 'http://127.0.0.1:9012',
      BASE_DATA_URL: 'http://127.0.0.1:9013',
      REFRESH_TOKEN: 'r',
    });
  });
});
