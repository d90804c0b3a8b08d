import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfilesFile, viewDocument } from './codec.js';
import { applyPatch, type ProfilePatch } from './patch.js';

const fixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures/pydoover');
const fixture = (name: string) => readFileSync(resolve(fixturesDir, name), 'utf8');

function patched(text: string, patch: ProfilePatch) {
  const outcome = applyPatch(parseProfilesFile(text), patch);
  if (!outcome.ok) {
    throw new Error(outcome.error.message);
  }
  return outcome.value;
}

function refusal(text: string, patch: ProfilePatch) {
  const outcome = applyPatch(parseProfilesFile(text), patch);
  return outcome.ok ? null : outcome.error;
}

function valuesOf(text: string, name: string) {
  const record = viewDocument(parseProfilesFile(text)).profiles.find(
    (profile) => profile.name === name,
  );
  return record === undefined ? undefined : Object.fromEntries(record.values);
}

const nineKeys = (values: Record<string, string> = {}) =>
  [
    'TOKEN',
    'TOKEN_EXPIRES',
    'AGENT_ID',
    'BASE_URL',
    'REFRESH_TOKEN',
    'REFRESH_TOKEN_ID',
    'BASE_DATA_URL',
    'AUTH_SERVER_URL',
    'AUTH_SERVER_CLIENT_ID',
  ]
    .map((key) => `${key}=${values[key] ?? ''}\n`)
    .join('');

describe('rewriting a profile', () => {
  it('writes pydoover’s form and keeps the keys pydoover does not know, after the nine', () => {
    const text = fixture('15-unknown-keys.conf');
    const { text: result, description } = patched(text, {
      kind: 'update',
      profile: 'org',
      fields: { AGENT_ID: '7', TOKEN_EXPIRES: 1767225600 },
    });

    expect(result).toBe(
      '[profile=org]\n' +
        nineKeys({
          TOKEN: 't',
          TOKEN_EXPIRES: '1767225600.0',
          AGENT_ID: '7',
          BASE_URL: 'https://api.doover.com',
        }) +
        'ORGANISATION_ID=42\nTHEME=dark\n',
    );
    expect(description).toBe("Changed TOKEN_EXPIRES and AGENT_ID of profile 'org'");
  });

  it('writes TOKEN_EXPIRES as Python prints the float pydoover would keep', () => {
    const write = (seconds: number) =>
      valuesOf(
        patched('', { kind: 'create', profile: 'p', fields: { TOKEN_EXPIRES: seconds } })
          .text,
        'p',
      )?.TOKEN_EXPIRES;

    expect(write(1796316914.82031)).toBe('1796316914.82031');
    expect(write(1767225600.1234567)).toBe('1767225600.123457');
    expect(write(0)).toBe('0.0');
  });

  it('clears a field given as empty and TOKEN_EXPIRES given as null', () => {
    const text = '[profile=a]\n' + nineKeys({ TOKEN: 't', TOKEN_EXPIRES: '5.0' });
    const result = patched(text, {
      kind: 'update',
      profile: 'a',
      fields: { TOKEN: '', TOKEN_EXPIRES: null },
    }).text;

    expect(result).toBe('[profile=a]\n' + nineKeys());
  });

  it('keeps Windows line endings in a file that uses them', () => {
    const text = fixture('03-crlf-line-endings.conf');
    const result = patched(text, {
      kind: 'update',
      profile: 'default',
      fields: { AGENT_ID: '9' },
    }).text;
    const appended = patched(text, { kind: 'create', profile: 'new', fields: {} }).text;

    expect(result.replaceAll('\r\n', '')).not.toContain('\n');
    expect(valuesOf(result, 'default')?.AGENT_ID).toBe('9');
    expect(appended.startsWith(text)).toBe(true);
    expect(appended.slice(text.length).replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('rewrites only the last copy of a duplicated name, the one pydoover reads', () => {
    const text = fixture('08-duplicate-profile-names.conf');
    const result = patched(text, {
      kind: 'update',
      profile: 'a',
      fields: { AGENT_ID: '1' },
    }).text;
    const [first, middle] = text.split('\n\n');

    expect(result.startsWith(`${first}\n\n${middle}\n\n`)).toBe(true);
    expect(valuesOf(result, 'a')).toMatchObject({ TOKEN: 'second', AGENT_ID: '1' });
  });

  it('refuses to rewrite a profile another runs into, which would mix their values', () => {
    const text = fixture('14-no-blank-line-between-profiles.conf');

    expect(refusal(text, { kind: 'update', profile: 'a', fields: {} })).toEqual({
      code: 'bad-request',
      message:
        "Profile 'b' starts inside profile 'a' with no blank line before it, so " +
        'Doover’s tools read them as one profile. Separate them first, then edit.',
    });
  });

  it('creates a missing profile when asked to', () => {
    const result = patched('', {
      kind: 'update',
      profile: 'new',
      fields: { TOKEN: 't' },
      createIfMissing: true,
    }).text;

    expect(result).toBe('[profile=new]\n' + nineKeys({ TOKEN: 't' }));
    expect(refusal('', { kind: 'update', profile: 'new', fields: {} })?.code).toBe(
      'not-found',
    );
  });
});

describe('adding a profile', () => {
  const block = '[profile=new]\n' + nineKeys({ TOKEN: 't' });
  const create: ProfilePatch = { kind: 'create', profile: 'new', fields: { TOKEN: 't' } };

  it('starts an empty file with the block alone', () => {
    expect(patched('', create).text).toBe(block);
  });

  it('appends after one blank line, whatever the file ends with', () => {
    expect(patched('[profile=a]\nX=1', create).text).toBe(`[profile=a]\nX=1\n\n${block}`);
    expect(patched('[profile=a]\nX=1\n', create).text).toBe(
      `[profile=a]\nX=1\n\n${block}`,
    );
    expect(patched('[profile=a]\nX=1\n\n\n', create).text).toBe(
      `[profile=a]\nX=1\n\n\n${block}`,
    );
    expect(patched('[profile=a]\nX=1\n  ', create).text).toBe(
      `[profile=a]\nX=1\n  \n\n${block}`,
    );
    expect(patched('[profile=a]\nX=1\r', create).text).toBe(
      `[profile=a]\nX=1\r\n\n${block}`,
    );
  });

  it('copies a profile with its extra keys', () => {
    const result = patched(fixture('15-unknown-keys.conf'), {
      kind: 'duplicate',
      profile: 'org',
      newName: 'Copy of org',
    });

    expect(valuesOf(result.text, 'Copy of org')).toMatchObject({
      TOKEN: 't',
      ORGANISATION_ID: '42',
      THEME: 'dark',
    });
    expect(result.description).toBe("Copied profile 'org' to 'Copy of org'");
  });
});

describe('names and values the app refuses', () => {
  const create = (profile: string): ProfilePatch => ({
    kind: 'create',
    profile,
    fields: {},
  });

  it.each([
    ['', 'needs a name'],
    ['a\nb', 'line break'],
    ['a\rb', 'line break'],
    ['a\u2028b', 'line break'],
    ['a\x1cb', 'line break'],
    [' a', 'start or end'],
    ['a\t', 'start or end'],
    ['a\u00a0', 'start or end'],
  ])('refuses the name %j', (name, reason) => {
    const error = refusal('', create(name));
    expect(error?.code).toBe('bad-request');
    expect(error?.message).toContain(reason);
  });

  it('accepts names pydoover reads back unchanged', () => {
    for (const name of ['default', 'my prof', 'a]b', '[x]', 'é😀', 'a=b']) {
      expect(valuesOf(patched('', create(name)).text, name)).toBeDefined();
    }
  });

  it('asks before replacing a profile that exists', () => {
    const text = '[profile=a]\n' + nineKeys({ TOKEN: 'old' });

    expect(refusal(text, create('a'))?.code).toBe('conflict');
    expect(
      refusal(text, { kind: 'rename', profile: 'a', newName: 'a', replace: false }),
    ).toBeNull();
    const replaced = patched(text, {
      kind: 'create',
      profile: 'a',
      fields: { TOKEN: 'new' },
      replace: true,
    });
    expect(valuesOf(replaced.text, 'a')?.TOKEN).toBe('new');
    expect(replaced.description).toBe("Replaced profile 'a'");
  });

  it.each([
    [{ BASE_URL: 'ftp://api.doover.com' }, 'https://'],
    [{ BASE_DATA_URL: 'data.doover.com' }, 'web address'],
    [{ AUTH_SERVER_URL: ' https://auth.doover.com' }, 'space'],
    [{ TOKEN: 'abc\ndef' }, 'line break'],
    [{ AGENT_ID: '1\u0085' }, 'line break'],
    [{ TOKEN_EXPIRES: 1e20 }, 'between the years'],
    [{ TOKEN_EXPIRES: Number.NaN }, 'between the years'],
  ])('refuses the values %j', (fields, reason) => {
    const error = refusal('', { kind: 'create', profile: 'p', fields });
    expect(error?.code).toBe('bad-request');
    expect(error?.message).toContain(reason);
  });
});

describe('renaming and deleting', () => {
  const two = fixture('02-two-profiles-as-pydoover-writes.conf');
  const names = (text: string) =>
    viewDocument(parseProfilesFile(text)).profiles.map((profile) => profile.name);

  it('renames in place and drops the shadowed copies of the old name', () => {
    const result = patched(fixture('08-duplicate-profile-names.conf'), {
      kind: 'rename',
      profile: 'a',
      newName: 'z',
    }).text;

    expect(names(result)).toEqual(['b', 'z']);
    expect(valuesOf(result, 'z')?.TOKEN).toBe('second');
  });

  it('replaces every copy of the name it renames onto, when asked', () => {
    const text = fixture('08-duplicate-profile-names.conf');

    expect(refusal(text, { kind: 'rename', profile: 'b', newName: 'a' })?.code).toBe(
      'conflict',
    );
    const result = patched(text, {
      kind: 'rename',
      profile: 'b',
      newName: 'a',
      replace: true,
    }).text;
    expect(names(result)).toEqual(['a']);
    expect(valuesOf(result, 'a')?.TOKEN).toBe('middle');
  });

  it('deletes every copy of a name, and undo puts the exact bytes back', () => {
    for (const [text, name] of [
      [two, 'default'],
      [two, 'staging'],
      [fixture('08-duplicate-profile-names.conf'), 'a'],
      [fixture('03-crlf-line-endings.conf'), 'default'],
    ] as const) {
      const deleted = patched(text, { kind: 'delete', profile: name });
      expect(names(deleted.text)).not.toContain(name);

      const restored = patched(deleted.text, {
        kind: 'restore-deleted',
        profile: name,
        blocks: deleted.removed,
      });
      expect(restored.text).toBe(text);
    }
  });

  it('puts a deleted profile back even after the file changed around it', () => {
    const deleted = patched(two, { kind: 'delete', profile: 'staging' });
    const changed = patched(deleted.text, {
      kind: 'delete',
      profile: 'default',
    }).text;
    const restored = patched(changed, {
      kind: 'restore-deleted',
      profile: 'staging',
      blocks: deleted.removed,
    }).text;

    expect(names(restored)).toEqual(['staging']);
    expect(
      refusal(two, { kind: 'restore-deleted', profile: 'staging', blocks: [] })?.code,
    ).toBe('conflict');
  });

  it('deletes a preserved block only when its exact text is still there', () => {
    const text = fixture('04-legacy-doover1-block-kept.conf');
    const block = parseProfilesFile(text).segments[0]?.text ?? '';
    const result = patched(text, { kind: 'delete-preserved-block', text: block });

    expect(result.text).toBe(text.slice(block.length + 2));
    expect(result.description).toBe(
      'Deleted the block “[profile=old]” that Doover’s tools do not read',
    );
    expect(
      refusal(text, { kind: 'delete-preserved-block', text: `${block} ` })?.code,
    ).toBe('not-found');
  });
});

describe('repairing TOKEN_EXPIRES', () => {
  const broken = fixture('09-iso-expiry-pydoover-cannot-read.conf');

  it('writes the token’s own expiry', () => {
    const result = patched(broken, {
      kind: 'repair-expiry',
      profile: 'bad',
      repair: 'from-token',
    });

    expect(valuesOf(result.text, 'bad')?.TOKEN_EXPIRES).toBe('1796316914.0');
    expect(result.description).toBe("Set TOKEN_EXPIRES of profile 'bad' from its token");
  });

  it('clears it, or refuses to copy an expiry the token does not have', () => {
    const text = '[profile=p]\nTOKEN=not-a-jwt\nTOKEN_EXPIRES=nan\n';

    expect(
      valuesOf(
        patched(text, { kind: 'repair-expiry', profile: 'p', repair: 'clear' }).text,
        'p',
      )?.TOKEN_EXPIRES,
    ).toBe('');
    expect(
      refusal(text, { kind: 'repair-expiry', profile: 'p', repair: 'from-token' })?.code,
    ).toBe('bad-request');
  });

  it('removes an earlier copy whose unreadable expiry would still stop pydoover', () => {
    const text =
      '[profile=p]\nTOKEN_EXPIRES=soon\n\n[profile=q]\nTOKEN=x\n\n[profile=p]\nTOKEN_EXPIRES=2.0\n';
    const result = patched(text, {
      kind: 'repair-expiry',
      profile: 'p',
      repair: 'clear',
    });

    expect(result.text).toBe('[profile=q]\nTOKEN=x\n\n[profile=p]\n' + nineKeys());
  });
});

describe('rewriting a block that other blocks follow', () => {
  it('changes only the edited line, not the blank lines after the block', () => {
    const text = readFileSync(
      join(fixturesDir, '02-two-profiles-as-pydoover-writes.conf'),
      'utf8',
    );
    const result = applyPatch(parseProfilesFile(text), {
      kind: 'update',
      profile: 'default',
      fields: { AGENT_ID: '42' },
    });

    expect(result.ok && result.value.text).toBe(
      text.replace('AGENT_ID=\n', 'AGENT_ID=42\n'),
    );
  });
});
