import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { parseProfilesFile, viewDocument } from './codec.js';
import type { ProfilePatch } from './patch.js';
import { formatProfileBlock } from './pydoover-format.js';
import {
  fieldValuesOf,
  isReverted,
  replacedValues,
  RevertGuard,
} from './revert-guard.js';
import { applyPatchToFile, type WriteOptions } from './write-profiles-file.js';

const log = createLogger({ level: 'silent' });
const clock = { now: () => Date.now() };

let home: string;
let path: string;
let guard: RevertGuard;
let options: WriteOptions;

const profile = (name: string, values: Record<string, string>) =>
  formatProfileBlock(name, new Map(Object.entries(values)));

/** What pydoover does: the whole file rewritten in place, no temp file, no lock. */
async function rewriteInPlace(text: string): Promise<void> {
  await writeFile(path, text);
}

async function valuesOf(name: string): Promise<Record<string, string> | undefined> {
  const document = parseProfilesFile(await readFile(path, 'utf8'));
  const record = viewDocument(document).profiles.find((found) => found.name === name);
  return record === undefined ? undefined : Object.fromEntries(record.values);
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'revert-guard-'));
  await mkdir(join(home, '.doover'));
  path = join(home, '.doover', 'config');
  guard = new RevertGuard({ path, clock, log, windowMs: 1500, pollMs: 10 });
  options = { clock, log, guard };
});

afterEach(async () => {
  await guard.stop();
  await rm(home, { recursive: true, force: true });
});

describe('which saves another program undid', () => {
  const before = parseProfilesFile(
    profile('default', { TOKEN: 'old-token', BASE_URL: 'https://a' }) +
      '\n' +
      profile('other', { TOKEN: 'x' }),
  );
  const after = parseProfilesFile(
    profile('default', { TOKEN: 'old-token', BASE_URL: 'https://b' }) +
      '\n' +
      profile('other', { TOKEN: 'x' }),
  );
  const replaced = replacedValues(before, after);

  it('names only the fields the save changed, with their old values', () => {
    expect([...replaced]).toEqual([
      ['["field","default","BASE_URL"]', new Set(['https://a'])],
    ]);
  });

  it('counts a save as undone when every field it changed is back, whatever else changed', () => {
    const staleWithNewToken = parseProfilesFile(
      profile('default', { TOKEN: 'new-token', BASE_URL: 'https://a' }),
    );
    expect(isReverted(replaced, fieldValuesOf(staleWithNewToken))).toBe(true);
  });

  it('leaves a field someone set to a third value alone', () => {
    const changedAgain = parseProfilesFile(
      profile('default', { TOKEN: 'old-token', BASE_URL: 'https://c' }),
    );
    expect(isReverted(replaced, fieldValuesOf(changedAgain))).toBe(false);
    expect(isReverted(replaced, fieldValuesOf(after))).toBe(false);
  });

  it('sees a created profile vanish and a deleted one come back', () => {
    const created = replacedValues(null, parseProfilesFile(profile('new', {})));
    expect(isReverted(created, fieldValuesOf(parseProfilesFile('')))).toBe(true);

    const deleted = replacedValues(
      before,
      parseProfilesFile(profile('other', { TOKEN: 'x' })),
    );
    expect(isReverted(deleted, fieldValuesOf(before))).toBe(true);
  });
});

describe('putting back a save that a program taking no lock overwrote', () => {
  const setBaseUrl = (url: string): ProfilePatch => ({
    kind: 'update',
    profile: 'default',
    fields: { BASE_URL: url },
  });

  it('applies the save again and keeps the token the other program wrote', async () => {
    const original = profile('default', { TOKEN: 'old-token', BASE_URL: 'https://a' });
    await writeFile(path, original);

    const saved = await applyPatchToFile(path, setBaseUrl('https://b'), options);
    expect(saved.ok).toBe(true);
    // The CLI read the file before the save, refreshed, and writes its copy back.
    await rewriteInPlace(original.replace('old-token', 'cli-token'));
    await guard.settled();

    expect(await valuesOf('default')).toMatchObject({
      TOKEN: 'cli-token',
      BASE_URL: 'https://b',
    });
    expect(guard.reappliedCount).toBe(1);
  });

  it('tells in words which save it applied again', async () => {
    const told: string[] = [];
    await guard.stop();
    guard = new RevertGuard({
      path,
      clock,
      log,
      windowMs: 1500,
      pollMs: 10,
      onReapplied: (description) => told.push(description),
    });
    const original = profile('default', { BASE_URL: 'https://a' });
    await writeFile(path, original);

    await applyPatchToFile(path, setBaseUrl('https://b'), { ...options, guard });
    await rewriteInPlace(original);
    await guard.settled();

    expect(told).toEqual(["Changed BASE_URL of profile 'default'"]);
  });

  it('tries again when the file could not be written the first time', async () => {
    const original = profile('default', { BASE_URL: 'https://a' });
    await writeFile(path, original);

    await applyPatchToFile(path, setBaseUrl('https://b'), options);
    await rewriteInPlace(original);
    // For a moment the file cannot be written, so applying the save again fails.
    await chmod(path, 0o444);
    await new Promise((resume) => setTimeout(resume, 300));
    await chmod(path, 0o644);
    await guard.settled();

    expect((await valuesOf('default'))?.BASE_URL).toBe('https://b');
    expect(guard.reappliedCount).toBe(1);
  });

  it('lands saves of one field in the order they were made', async () => {
    const original = profile('default', { BASE_URL: 'https://a' });
    await writeFile(path, original);

    await applyPatchToFile(path, setBaseUrl('https://b'), options);
    await applyPatchToFile(path, setBaseUrl('https://c'), options);
    await rewriteInPlace(original);
    await guard.settled();

    expect((await valuesOf('default'))?.BASE_URL).toBe('https://c');
  });

  it('takes a value set back in the app as the user’s wish, not as an overwrite', async () => {
    await writeFile(
      path,
      profile('default', { BASE_URL: 'https://a' }) + '\n' + profile('other', {}),
    );

    await applyPatchToFile(path, setBaseUrl('https://b'), options);
    await applyPatchToFile(path, setBaseUrl('https://a'), options);
    await rewriteInPlace(
      (await readFile(path, 'utf8')).replace(
        '[profile=other]\nTOKEN=',
        '[profile=other]\nTOKEN=cli',
      ),
    );
    await guard.settled();

    expect((await valuesOf('default'))?.BASE_URL).toBe('https://a');
    expect(guard.reappliedCount).toBe(0);
  });

  it('puts back a created profile that a stale copy dropped', async () => {
    const original = profile('default', { TOKEN: 't' });
    await writeFile(path, original);

    await applyPatchToFile(
      path,
      { kind: 'create', profile: 'staging', fields: { BASE_URL: 'https://s' } },
      options,
    );
    await rewriteInPlace(original);
    await guard.settled();

    expect(await valuesOf('staging')).toMatchObject({ BASE_URL: 'https://s' });
    expect(await valuesOf('default')).toMatchObject({ TOKEN: 't' });
  });

  it('does not write when another program changed something else', async () => {
    const original = profile('default', { TOKEN: 't' }) + '\n' + profile('other', {});
    await writeFile(path, original);

    await applyPatchToFile(path, setBaseUrl('https://b'), options);
    const changedElsewhere = (await readFile(path, 'utf8')).replace(
      '[profile=other]\nTOKEN=',
      '[profile=other]\nTOKEN=cli',
    );
    await rewriteInPlace(changedElsewhere);
    const inode = (await stat(path)).ino;
    await guard.settled();

    expect(await readFile(path, 'utf8')).toBe(changedElsewhere);
    expect((await stat(path)).ino).toBe(inode);
    expect(guard.reappliedCount).toBe(0);
  });

  it('keeps putting a save back for as long as its window lasts, then leaves the file alone', async () => {
    const original = profile('default', { BASE_URL: 'https://a' });
    await writeFile(path, original);
    let now = Date.now();
    const shortWindow = new RevertGuard({
      path,
      clock: { now: () => now },
      log,
      windowMs: 60_000,
      pollMs: 10,
    });

    await applyPatchToFile(path, setBaseUrl('https://b'), {
      clock,
      log,
      guard: shortWindow,
    });
    // A program that writes its old copy back again and again.
    for (let round = 0; round < 5; round += 1) {
      await expect
        .poll(async () => (await valuesOf('default'))?.BASE_URL)
        .toBe('https://b');
      await rewriteInPlace(original);
    }
    await expect
      .poll(async () => (await valuesOf('default'))?.BASE_URL)
      .toBe('https://b');
    // Counted once the save applied again has finished, a moment after its rename.
    await expect.poll(() => shortWindow.reappliedCount).toBe(5);

    // A minute after the save, a change is someone's wish, not a stale copy.
    now += 60_001;
    await shortWindow.settled();
    await rewriteInPlace(original);
    expect((await valuesOf('default'))?.BASE_URL).toBe('https://a');
    await shortWindow.stop();
  });
});
