import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { HistoryStore } from './history-store.js';

const log = createLogger({ level: 'silent' });
let dataDir: string;
let store: HistoryStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'history-'));
  store = new HistoryStore({ dataDir, log });
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const version = (index: number) => ({
  bytes: Buffer.from(`[profile=p${index}]\nTOKEN=secret-${index}\n`),
  replacedAt: 1_767_225_600_000 + index * 1000,
  replacedBy: `change ${index}`,
  profileNames: [`p${index}`],
});

describe('the history of replaced versions', () => {
  it('keeps each version’s exact bytes, private to the user', async () => {
    await store.record(version(1));

    const [entry] = await store.list();
    expect(entry).toMatchObject({
      replacedAt: version(1).replacedAt,
      replacedBy: 'change 1',
      profileNames: ['p1'],
      bytes: version(1).bytes.length,
    });
    expect((await store.read(entry?.id ?? ''))?.bytes).toEqual(version(1).bytes);
    expect((await stat(store.folder)).mode & 0o777).toBe(0o700);
    for (const name of await readdir(store.folder)) {
      expect((await stat(join(store.folder, name))).mode & 0o777).toBe(0o600);
    }
  });

  it('lists no secret, only names and words', async () => {
    await store.record(version(2));

    expect(JSON.stringify(await store.list())).not.toContain('secret-2');
  });

  it('keeps the last 20, newest first', async () => {
    for (let index = 1; index <= 23; index += 1) {
      await store.record(version(index));
    }

    const entries = await store.list();
    expect(entries.map((entry) => entry.replacedBy)).toEqual(
      Array.from({ length: 20 }, (_, index) => `change ${23 - index}`),
    );
    expect(await readdir(store.folder)).toHaveLength(40);
  });

  it('tightens a history folder that others could open', async () => {
    await mkdir(store.folder, { recursive: true, mode: 0o755 });

    await store.record(version(3));

    expect((await stat(store.folder)).mode & 0o777).toBe(0o700);
  });

  it('skips damaged entries and ids that are not its own', async () => {
    await store.record(version(4));
    await writeFile(join(store.folder, '000000000000001-00000000.json'), '{not json');
    await writeFile(join(store.folder, 'notes.json'), '{}');

    expect((await store.list()).map((entry) => entry.replacedBy)).toEqual(['change 4']);
    expect(await store.read('../../etc/passwd')).toBeNull();
    expect(await store.read('000000000000001-00000000')).toBeNull();
  });

  it('does not offer a version whose content was cut short (a power loss before it reached the disk)', async () => {
    await store.record(version(5));
    await store.record(version(6));
    const [newest] = await store.list();
    await writeFile(join(store.folder, `${newest?.id ?? ''}.conf`), '');

    expect((await store.list()).map((entry) => entry.replacedBy)).toEqual(['change 5']);
    expect(await store.read(newest?.id ?? '')).toBeNull();
  });

  it('reads an empty history when nothing was replaced yet', async () => {
    expect(await store.list()).toEqual([]);
  });
});
