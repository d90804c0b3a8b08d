import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { parseProfilesFile, viewDocument } from './codec.js';
import { PatchBatcher } from './patch-batcher.js';
import type { ProfilePatch } from './patch.js';
import type { WriteOptions } from './write-profiles-file.js';

const log = createLogger({ level: 'silent' });
const clock = { now: () => Date.now() };
const block = (name: string, token: string) =>
  `[profile=${name}]\nTOKEN=${token}\nTOKEN_EXPIRES=\nAGENT_ID=\nBASE_URL=\nREFRESH_TOKEN=\n` +
  'REFRESH_TOKEN_ID=\nBASE_DATA_URL=\nAUTH_SERVER_URL=\nAUTH_SERVER_CLIENT_ID=\n';
const profileNames = ['a', 'b', 'c', 'd', 'e'];

let home: string;
let path: string;
/** Every text the batcher was about to write, in order. */
let written: string[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'patch-batcher-'));
  await mkdir(join(home, '.doover'));
  path = join(home, '.doover', 'config');
  await writeFile(path, profileNames.map((name) => block(name, 'old')).join('\n\n'));
  written = [];
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function batcher(extra: Partial<WriteOptions> = {}): PatchBatcher {
  return new PatchBatcher(path, {
    clock,
    log,
    onWillWrite: (text) => written.push(text),
    ...extra,
  });
}

const setToken = (profile: string, token: string): ProfilePatch => ({
  kind: 'update',
  profile,
  fields: { TOKEN: token, TOKEN_EXPIRES: 1900000000 },
});

async function tokensOnDisk(): Promise<Record<string, string | undefined>> {
  const text = await readFile(path, 'utf8');
  const profiles = viewDocument(parseProfilesFile(text)).profiles;

  return Object.fromEntries(
    profiles.map((each) => [each.name, each.values.get('TOKEN')]),
  );
}

describe('PatchBatcher', () => {
  it('applies patches submitted together in one write', async () => {
    const writes = batcher();

    const results = await Promise.all(
      profileNames.map((name) => writes.submit(setToken(name, `new-${name}`))),
    );

    expect(results.every((result) => result.ok)).toBe(true);
    expect(written).toHaveLength(1);
    expect(await tokensOnDisk()).toEqual({
      a: 'new-a',
      b: 'new-b',
      c: 'new-c',
      d: 'new-d',
      e: 'new-e',
    });
    // The text the app announced as its own is exactly what is on disk.
    expect(written[0]).toBe(await readFile(path, 'utf8'));
    expect(results[1]).toMatchObject({
      ok: true,
      value: { changed: true, description: expect.stringContaining("'b'") },
    });
  });

  it('gathers patches that arrive during a write into the next single write', async () => {
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let renames = 0;
    const writes = batcher({
      beforeRename: async () => {
        renames += 1;
        if (renames === 1) await firstHeld;
      },
    });

    const first = writes.submit(setToken('a', 'first'));
    await waitFor(() => renames === 1);
    const later = ['b', 'c', 'd'].map((name) => writes.submit(setToken(name, 'later')));
    releaseFirst();
    const results = await Promise.all([first, ...later]);

    expect(results.every((result) => result.ok)).toBe(true);
    expect(written).toHaveLength(2);
    expect(await tokensOnDisk()).toMatchObject({ a: 'first', b: 'later', d: 'later' });
  });

  it('reports a refused patch to its submitter alone; the others still land', async () => {
    const writes = batcher();

    const [good, gone, alsoGood] = await Promise.all([
      writes.submit(setToken('a', 'kept')),
      writes.submit(setToken('removed-meanwhile', 'lost')),
      writes.submit(setToken('e', 'kept')),
    ]);

    expect(good).toMatchObject({ ok: true });
    expect(alsoGood).toMatchObject({ ok: true });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(written).toHaveLength(1);
    expect(await tokensOnDisk()).toMatchObject({ a: 'kept', e: 'kept' });
  });

  it('writes nothing when every patch is refused', async () => {
    const before = await readFile(path, 'utf8');
    const writes = batcher();

    const results = await Promise.all([
      writes.submit(setToken('x', 't')),
      writes.submit(setToken('y', 't')),
    ]);

    expect(results.map((result) => result.ok)).toEqual([false, false]);
    expect(written).toHaveLength(0);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('applies the whole batch again when another program wrote meanwhile', async () => {
    const writes = batcher({
      beforeRename: async (attempt) => {
        if (attempt === 1) {
          // As pydoover does: the whole file rewritten from its own copy, no lock.
          const others = profileNames.map((name) => block(name, 'old'));
          await writeFile(path, [...others, block('cli', 'from-cli')].join('\n\n'));
        }
      },
    });

    const results = await Promise.all([
      writes.submit(setToken('a', 'app-a')),
      writes.submit(setToken('b', 'app-b')),
    ]);

    expect(results).toMatchObject([
      { ok: true, value: { attempts: 2 } },
      { ok: true, value: { attempts: 2 } },
    ]);
    expect(await tokensOnDisk()).toMatchObject({
      a: 'app-a',
      b: 'app-b',
      cli: 'from-cli',
    });
  });

  it('tells every submitter when the file cannot be edited', async () => {
    await writeFile(path, Buffer.from([0xff, 0xfe, 0x00, 0x5b]));
    const writes = batcher();

    const results = await Promise.all([
      writes.submit(setToken('a', 't')),
      writes.submit(setToken('b', 't')),
    ]);

    expect(results).toMatchObject([
      { ok: false, error: { code: 'file-unreadable' } },
      { ok: false, error: { code: 'file-unreadable' } },
    ]);
  });
});

/** Resolves once `condition` holds, checking on each turn of the event loop. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
