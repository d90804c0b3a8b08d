import fc from 'fast-check';
import { decode } from 'ini';
import { describe, expect, it } from 'vitest';
import { decodeIniText, encodeIniName, encodeIniValue } from './ini-text-codec.js';
import { formatSettingsText, parseSettingsText } from './settings-format.js';
import {
  defaultSettings,
  type AppSettings,
  type Preferences,
  type ProfileSettings,
} from './settings-schema.js';

// Characters the `ini` package treats specially, plus some that are merely unusual.
const awkward = [
  '.',
  '[',
  ']',
  '=',
  ' ',
  '"',
  "'",
  ';',
  '#',
  '\\',
  '%',
  '@',
  ':',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'é',
  'e\u0301',
  'ß',
  '日本',
  '😀',
  '__proto__',
  'true',
  'null',
  'a',
  'Z',
  '0',
];
const awkwardText = fc.string({ unit: fc.constantFrom(...awkward), maxLength: 12 });
// 'binary' yields any code point (never a lone surrogate, which UTF-8 cannot hold).
const anyText = fc.oneof(awkwardText, fc.string({ unit: 'binary', maxLength: 12 }));
const profileName = anyText.filter((name) => name.length > 0);

const profileSettings: fc.Arbitrary<ProfileSettings> = fc
  .record({
    signInStore: fc.constantFrom('keychain' as const, 'file' as const),
    kind: fc.constantFrom('user' as const, 'service-account' as const),
    clientId: fc.option(anyText.filter((id) => id.length > 0 && id.length <= 200)),
    colour: fc.option(
      fc.stringMatching(/^#[0-9a-fA-F]{6}$/).filter((colour) => colour.length === 7),
    ),
    label: fc.option(anyText.filter((label) => label.length <= 100)),
  })
  .map(({ clientId, ...rest }) => ({
    ...rest,
    serviceAccountClientId: rest.kind === 'service-account' ? clientId : null,
  }));

const preferences: fc.Arbitrary<Preferences> = fc
  .record({
    clipboardClearSeconds: fc.oneof(
      fc.constant('never' as const),
      fc.integer({ min: 10, max: 300 }),
    ),
    notifications: fc.boolean(),
    lifetimeFraction: fc.integer({ min: 50, max: 95 }).map((percent) => percent / 100),
    leadSeconds: fc.integer({ min: 600, max: 3600 }),
    minimumLeadSeconds: fc.integer({ min: 30, max: 600 }),
  })
  .map(({ clipboardClearSeconds, notifications, ...refresh }) => ({
    clipboardClearSeconds,
    notifications,
    refresh,
  }));

const settings: fc.Arbitrary<AppSettings> = fc
  .record({
    preferences,
    profiles: fc.uniqueArray(fc.tuple(profileName, profileSettings), {
      selector: ([name]) => name,
      maxLength: 5,
    }),
  })
  .map(({ preferences, profiles }) => ({
    preferences,
    profiles: Object.fromEntries(profiles),
  }));

describe('ini text codec', () => {
  it('brings any value back unchanged through the ini package', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const read = decode(`value = ${encodeIniValue(text)}`).value as unknown;
        expect(decodeIniText(String(read))).toBe(text);
        expect(typeof read).toBe('string');
      }),
    );
  });

  it('brings any section name back unchanged through the ini package', () => {
    fc.assert(
      fc.property(profileName, (name) => {
        const section = `profile:${encodeIniName(name)}`;
        const read = Object.keys(decode(`[${section}]\nkind = user\n`));
        expect(read).toEqual([section]);
        expect(decodeIniText(encodeIniName(name))).toBe(name);
      }),
    );
  });

  it('keeps plain names readable', () => {
    expect(encodeIniName('dv2-staging')).toBe('dv2-staging');
    expect(encodeIniName('my work profile')).toBe('my work profile');
    expect(encodeIniName('prod.eu')).toBe('prod%2Eeu');
    expect(encodeIniValue('Production (EU)')).toBe('Production (EU)');
    expect(encodeIniValue('true')).toBe('%74rue');
  });
});

describe('settings text', () => {
  it('round-trips any settings, whatever the profile names', () => {
    fc.assert(
      fc.property(settings, (original) => {
        const parsed = parseSettingsText(formatSettingsText(original));
        expect(parsed).toEqual({ ok: true, settings: original });
      }),
      { numRuns: 300 },
    );
  });

  it('reads an empty file as the defaults', () => {
    expect(parseSettingsText('')).toEqual({ ok: true, settings: defaultSettings() });
  });

  it('writes a readable file', () => {
    const text = formatSettingsText({
      ...defaultSettings(),
      profiles: {
        default: {
          signInStore: 'keychain',
          kind: 'user',
          serviceAccountClientId: null,
          colour: '#3b82f6',
          label: 'Work',
        },
      },
    });

    expect(text).toContain('[preferences]\nclipboardClearSeconds = 30\n');
    expect(text).toContain('[profile:default]\nsignInStore = keychain\nkind = user\n');
    expect(text).toContain('label = Work\n');
  });

  it('fills in preferences the file does not mention', () => {
    const parsed = parseSettingsText('[preferences]\nnotifications = false\n');

    expect(parsed.ok && parsed.settings.preferences).toEqual({
      ...defaultSettings().preferences,
      notifications: false,
    });
  });

  it('reads a hand-written bare true as text where text is expected', () => {
    const parsed = parseSettingsText('[profile:a]\nlabel = true\n');

    expect(parsed.ok && parsed.settings.profiles.a?.label).toBe('true');
  });

  it.each([
    ['a clipboard delay below 10 s', '[preferences]\nclipboardClearSeconds = 5\n'],
    ['a clipboard delay above 5 min', '[preferences]\nclipboardClearSeconds = 301\n'],
    [
      'a clipboard delay that is not a number',
      '[preferences]\nclipboardClearSeconds = soon\n',
    ],
    [
      'a lead shorter than the minimum lead',
      '[preferences]\nrefreshLeadSeconds = 60\nrefreshMinimumLeadSeconds = 300\n',
    ],
    ['an unknown sign-in place', '[profile:a]\nsignInStore = cloud\n'],
    ['an unknown key', '[profile:a]\nkind = user\ntoken = abc\n'],
    ['an unknown section', '[colours]\na = b\n'],
    ['a newer format', 'version = 2\n'],
    [
      'a client id on a user profile',
      '[profile:a]\nkind = user\nserviceAccountClientId = x\n',
    ],
    ['a bad colour', '[profile:a]\ncolour = blue\n'],
    ['a token pasted as a label', '[profile:a]\nlabel = eyJhbGciOi.eyJzdWIiOi.c2ln\n'],
    ['a dotted section name', '[profile:a.b]\nkind = user\n'],
    ['a name spelled differently from the app', '[profile:a%2db]\nkind = user\n'],
  ])('rejects %s', (_case, text) => {
    const parsed = parseSettingsText(text);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.length).toBeGreaterThan(0);
  });

  it('names the field but not the value in its problems', () => {
    const parsed = parseSettingsText('[profile:a]\nlabel = eyJhbGciOi.eyJzdWIiOi.c2ln\n');

    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? '' : parsed.problems.join('\n');
    expect(problems).toContain('profile "a": label');
    expect(problems).not.toContain('eyJ');
  });
});
