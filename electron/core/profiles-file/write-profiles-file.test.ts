import { execFileSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { parseProfilesFile, viewDocument } from './codec.js';
import type { ProfilePatch } from './patch.js';
import {
  applyPatchToFile,
  replaceProfilesFile,
  writeFailureMessage,
  type VersionRecorder,
  type WriteOptions,
} from './write-profiles-file.js';

const log = createLogger({ level: 'silent' });
const clock = { now: () => Date.now() };
const block = (name: string, token: string) =>
  `[profile=${name}]\nTOKEN=${token}\nTOKEN_EXPIRES=\nAGENT_ID=\nBASE_URL=\nREFRESH_TOKEN=\n` +
  'REFRESH_TOKEN_ID=\nBASE_DATA_URL=\nAUTH_SERVER_URL=\nAUTH_SERVER_CLIENT_ID=\n';

let home: string;
let folder: string;
let path: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'write-profiles-'));
  folder = join(home, '.doover');
  path = join(folder, 'config');
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const setAgent = (profile: string, agent: string): ProfilePatch => ({
  kind: 'update',
  profile,
  fields: { AGENT_ID: agent },
  createIfMissing: true,
});

async function valuesOnDisk(name: string) {
  const text = await readFile(path, 'utf8');
  const record = viewDocument(parseProfilesFile(text)).profiles.find(
    (profile) => profile.name === name,
  );
  return record === undefined ? undefined : Object.fromEntries(record.values);
}

describe('writing the profiles file', () => {
  it('creates a missing file 0600 inside a new 0700 folder', async () => {
    const result = await applyPatchToFile(path, setAgent('default', '1'), { clock, log });

    expect(result).toMatchObject({ ok: true, value: { changed: true, attempts: 1 } });
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe(
      block('default', '').replace('AGENT_ID=', 'AGENT_ID=1'),
    );
    expect(await readdir(folder)).toEqual(['config']);
  });

  it('keeps the mode an existing file has', async () => {
    await mkdir(folder, { mode: 0o755 });
    await writeFile(path, block('a', 't'), { mode: 0o640 });

    await applyPatchToFile(path, setAgent('a', '2'), { clock, log });

    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect((await stat(folder)).mode & 0o777).toBe(0o755);
  });

  it('keeps a symbolic link and updates the file it points to', async () => {
    const real = join(home, 'elsewhere', 'doover-config');
    await mkdir(join(home, 'elsewhere'));
    await writeFile(real, block('a', 't'), { mode: 0o600 });
    await mkdir(folder);
    await symlink('../elsewhere/doover-config', path);

    await applyPatchToFile(path, setAgent('a', '3'), { clock, log });

    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readlink(path)).toBe('../elsewhere/doover-config');
    expect(await valuesOnDisk('a')).toMatchObject({ TOKEN: 't', AGENT_ID: '3' });
  });

  it('creates the target of a link that points to no file yet', async () => {
    await mkdir(folder);
    await symlink(join(home, 'target'), path);

    await applyPatchToFile(path, setAgent('a', '4'), { clock, log });

    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(home, 'target'), 'utf8')).toContain('AGENT_ID=4');
  });

  it('writes nothing when the patch changes nothing', async () => {
    await mkdir(folder);
    await writeFile(path, block('a', 't'));
    const before = await stat(path);
    const versions: string[] = [];
    const history: VersionRecorder = { record: async () => void versions.push('x') };

    const result = await applyPatchToFile(path, setAgent('a', ''), {
      clock,
      log,
      history,
    });

    expect(result).toMatchObject({ ok: true, value: { changed: false } });
    expect((await stat(path)).ino).toBe(before.ino);
    expect(versions).toEqual([]);
  });

  it('hands the replaced bytes and the change in words to history', async () => {
    await mkdir(folder);
    await writeFile(path, block('a', 't'));
    const versions: Array<{ text: string; replacedBy: string }> = [];
    const history: VersionRecorder = {
      record: async ({ bytes, replacedBy }) =>
        void versions.push({ text: bytes.toString('utf8'), replacedBy }),
    };

    await applyPatchToFile(path, setAgent('a', '5'), { clock, log, history });

    expect(versions).toEqual([
      { text: block('a', 't'), replacedBy: "Changed AGENT_ID of profile 'a'" },
    ]);
  });

  it('replaces the whole file when restoring, through the same path', async () => {
    await mkdir(folder);
    await writeFile(path, block('a', 't'), { mode: 0o600 });

    const result = await replaceProfilesFile(path, block('b', 'u'), 'Restored', {
      clock,
      log,
    });

    expect(result.ok).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(block('b', 'u'));
  });

  it('is read by Python as intended', async () => {
    await applyPatchToFile(path, setAgent('default', '6'), { clock, log });
    await applyPatchToFile(path, setAgent('staging', '7'), { clock, log });
    await applyPatchToFile(
      path,
      { kind: 'rename', profile: 'staging', newName: 's 2' },
      {
        clock,
        log,
      },
    );

    const python = execFileSync(
      'python3',
      [resolve(import.meta.dirname, '../../../e2e/support/pydoover-reference.py')],
      { input: JSON.stringify([await readFile(path, 'utf8')]) },
    );
    const [reading] = JSON.parse(python.toString()) as Array<{
      profiles: Array<Record<string, unknown>>;
    }>;
    expect(reading?.profiles.map(({ name, AGENT_ID }) => ({ name, AGENT_ID }))).toEqual([
      { name: 'default', AGENT_ID: '6' },
      { name: 's 2', AGENT_ID: '7' },
    ]);
  });
});

describe('another program writing at the same moment', () => {
  it('applies the patch again to what the other program wrote, losing neither', async () => {
    await mkdir(folder);
    await writeFile(path, `${block('app', 't')}\n\n${block('cli', 'old-token')}`);
    const options: WriteOptions = {
      clock,
      log,
      beforeRename: async (attempt) => {
        if (attempt === 1) {
          // As pydoover does: the whole file rewritten from its own copy, no lock.
          await writeFile(path, `${block('app', 't')}\n\n${block('cli', 'new-token')}`);
        }
      },
    };

    const result = await applyPatchToFile(path, setAgent('app', '8'), options);

    expect(result).toMatchObject({ ok: true, value: { attempts: 2 } });
    expect(await valuesOnDisk('app')).toMatchObject({ AGENT_ID: '8' });
    expect(await valuesOnDisk('cli')).toMatchObject({ TOKEN: 'new-token' });
  });

  it('gives up with plain words when the file never stops changing', async () => {
    await mkdir(folder);
    await writeFile(path, block('a', 't'));
    let round = 0;
    const options: WriteOptions = {
      clock,
      log,
      maxAttempts: 3,
      beforeRename: async () => {
        round += 1;
        await writeFile(path, block('a', `t${round}`));
      },
    };

    const result = await applyPatchToFile(path, setAgent('a', '9'), options);

    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'file-write-failed',
        message: expect.stringContaining('kept changing'),
      },
    });
    expect(await valuesOnDisk('a')).toMatchObject({ TOKEN: 't3', AGENT_ID: '' });
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('queues writers inside one process, and every change lands', async () => {
    const writes = Array.from({ length: 20 }, (_, index) =>
      applyPatchToFile(path, setAgent(`p${index}`, String(index)), { clock, log }),
    );

    const results = await Promise.all(writes);

    expect(results.every((result) => result.ok)).toBe(true);
    const names = viewDocument(parseProfilesFile(await readFile(path, 'utf8'))).profiles;
    expect(names).toHaveLength(20);
  });
});

describe('the lock', () => {
  it('takes over a lock whose owner died long ago', async () => {
    await mkdir(`${path}.lock`, { recursive: true });
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(`${path}.lock`, longAgo, longAgo);

    const result = await applyPatchToFile(path, setAgent('a', '1'), { clock, log });

    expect(result.ok).toBe(true);
    expect(await readdir(folder)).toEqual(['config']);
  });

  it('says so in plain words when another writer keeps it', async () => {
    await mkdir(`${path}.lock`, { recursive: true });

    const result = await applyPatchToFile(path, setAgent('a', '1'), {
      clock,
      log,
      lock: { retries: 1 },
    });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'file-write-failed', message: expect.stringContaining('locked') },
    });
  });

  it('removes temp files a killed writer left behind', async () => {
    await mkdir(folder);
    const leftover = join(folder, '.config.0123456789ab.doover-profiles.tmp');
    await writeFile(leftover, 'half');
    const longAgo = new Date(Date.now() - 120_000);
    await utimes(leftover, longAgo, longAgo);

    await applyPatchToFile(path, setAgent('a', '1'), { clock, log });

    expect(await readdir(folder)).toEqual(['config']);
  });
});

describe('failures, in plain words', () => {
  it('leaves a read-only file as it is, and says why', async () => {
    await mkdir(folder, { recursive: true });
    await writeFile(path, block('a', 'kept'));
    await chmod(path, 0o444);

    const result = await applyPatchToFile(path, setAgent('a', '1'), { clock, log });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'file-write-failed', message: expect.stringContaining('read-only') },
    });
    expect(await readFile(path, 'utf8')).toBe(block('a', 'kept'));
    expect((await stat(path)).mode & 0o777).toBe(0o444);
  });

  it('explains a .doover that is a file', async () => {
    await writeFile(folder, 'not a folder');

    const result = await applyPatchToFile(path, setAgent('a', '1'), { clock, log });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'file-write-failed', message: expect.stringContaining('is a file') },
    });
  });

  it('explains a config that is a folder', async () => {
    await mkdir(path, { recursive: true });

    const result = await applyPatchToFile(path, setAgent('a', '1'), { clock, log });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'file-unreadable', message: expect.stringContaining('folder') },
    });
  });

  it('refuses to patch a file that is not UTF-8 text', async () => {
    await mkdir(folder);
    await writeFile(path, Buffer.from([0x5b, 0xff, 0x0a]));

    const result = await applyPatchToFile(path, setAgent('a', '1'), { clock, log });

    expect(result).toMatchObject({ ok: false, error: { code: 'file-unreadable' } });
    expect(await readFile(path)).toEqual(Buffer.from([0x5b, 0xff, 0x0a]));
  });

  it('passes on the patch’s own refusal without writing', async () => {
    const result = await applyPatchToFile(
      path,
      { kind: 'delete', profile: 'nobody' },
      {
        clock,
        log,
      },
    );

    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it.each([
    ['EACCES', 'permission'],
    ['ENOSPC', 'disk is full'],
    ['EROFS', 'read-only'],
    ['EIO', 'EIO'],
  ])('words %s for the user', (code, words) => {
    const error = Object.assign(new Error('system'), { code });
    expect(writeFailureMessage(error)).toContain(words);
  });
});
