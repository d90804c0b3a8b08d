import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefreshLogEntry } from '../../../shared/token-types.js';
import { createLogger } from '../logger.js';
import { createRedactor } from '../redact.js';
import { RefreshLog, refreshLogPath } from './refresh-log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refresh-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const jwt =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXBhcnQ';

function logAt(path: string, size?: number): RefreshLog {
  return new RefreshLog({
    path,
    redact: createRedactor('/home/someone'),
    log: createLogger({ level: 'silent' }),
    ...(size === undefined ? {} : { size }),
  });
}

function entry(index: number, message = 'Renewed.'): RefreshLogEntry {
  return {
    at: 1_700_000_000_000 + index * 1000,
    profile: `p${index % 3}`,
    trigger: 'scheduled',
    result: 'renewed',
    message,
    durationMs: 12,
  };
}

async function fileLines(path: string): Promise<RefreshLogEntry[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RefreshLogEntry);
}

describe('the renewal log', () => {
  it('keeps only the last entries of its size, newest first', async () => {
    const log = logAt(refreshLogPath(dir), 5);
    await log.load();
    for (let index = 0; index < 8; index += 1) log.record(entry(index));
    await log.flushed();

    expect(log.entries().map((each) => each.at)).toEqual(
      [7, 6, 5, 4, 3].map((index) => entry(index).at),
    );
  });

  it('appends each entry to a 0600 file and reads it back after a restart', async () => {
    const path = refreshLogPath(dir);
    const first = logAt(path);
    await first.load();
    first.record(entry(1));
    first.record({ ...entry(2), result: 'failed', trigger: 'button', message: 'down' });
    await first.flushed();

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const second = logAt(path);
    await second.load();
    expect(second.entries()).toEqual([
      { ...entry(2), result: 'failed', trigger: 'button', message: 'down' },
      entry(1),
    ]);
  });

  it('trims the file to its size at start and skips lines it cannot read', async () => {
    const path = refreshLogPath(dir);
    const lines = Array.from({ length: 12 }, (_, index) => JSON.stringify(entry(index)));
    await writeFile(path, `${lines.join('\n')}\nnot json\n{"at":"x"}\n`, { mode: 0o644 });

    const log = logAt(path, 10);
    await log.load();
    await log.flushed();

    const kept = await fileLines(path);
    expect(kept.map((each) => each.at)).toEqual(
      Array.from({ length: 10 }, (_, index) => entry(index + 2).at),
    );
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('rewrites the file once as many entries as it keeps have been appended', async () => {
    const path = refreshLogPath(dir);
    const log = logAt(path, 4);
    await log.load();
    for (let index = 0; index < 9; index += 1) log.record(entry(index));
    await log.flushed();

    expect((await fileLines(path)).length).toBeLessThanOrEqual(8);
    expect((await fileLines(path)).at(-1)).toEqual(entry(8));
  });

  it('hides anything token-shaped and the home folder in a message, in memory and on disk', async () => {
    const path = refreshLogPath(dir);
    const told: RefreshLogEntry[] = [];
    const log = new RefreshLog({
      path,
      redact: createRedactor('/home/someone'),
      log: createLogger({ level: 'silent' }),
      onEntry: (kept) => told.push(kept),
    });
    await log.load();
    log.record(entry(1, `The server said ${jwt} in /home/someone/.doover/config`));
    await log.flushed();

    const shown = log.entries()[0]?.message ?? '';
    expect(shown).not.toContain(jwt);
    expect(shown).toContain('[token]');
    expect(shown).toContain('~/.doover/config');
    expect(told[0]?.message).toBe(shown);
    expect(await readFile(path, 'utf8')).not.toContain('eyJhbGci');
  });
});
