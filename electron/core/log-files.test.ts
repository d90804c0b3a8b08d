import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, logFilePath, logsDir, rotateLogFiles } from './log-files.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'log-files-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createFileLogger', () => {
  it('appends JSON lines to logs/app.log in the data folder, creating the folder', async () => {
    const log = createFileLogger(join(dataDir, 'nested', 'data'));
    log.info('[profiles] read the file');
    log.warn({ profile: 'staging' }, 'renewal failed');

    const lines = await readLines(join(dataDir, 'nested', 'data', 'logs', 'app.log'));
    expect(lines.map((line) => line.msg)).toEqual([
      '[profiles] read the file',
      'renewal failed',
    ]);
    expect(lines[1]).toMatchObject({ profile: 'staging', level: 40 });
  });

  it('keeps the log private to the user', async () => {
    createFileLogger(dataDir).info('started');

    expect((await stat(logsDir(dataDir))).mode & 0o777).toBe(0o700);
    expect((await stat(logFilePath(dataDir))).mode & 0o777).toBe(0o600);
  });

  it('sends every line through the central redaction', async () => {
    const home = '/home/operator';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJlLXZhbHVl';
    const refreshToken = 'r3fresh-T0ken-abcdefghijklmnopqrstuvwxyz';
    const log = createFileLogger(dataDir, { homeDir: home });
    log.info(
      { token: jwt, file: `${home}/.doover/config` },
      `refreshed with ${refreshToken}`,
    );

    const text = await readFile(logFilePath(dataDir), 'utf8');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain(refreshToken);
    expect(text).not.toContain(home);
    expect(await readLines(logFilePath(dataDir))).toEqual([
      expect.objectContaining({
        token: '[token]',
        file: '~/.doover/config',
        msg: 'refreshed with [secret]',
      }),
    ]);
  });

  it('starts a new app.log when the last one grew past the limit', async () => {
    await mkdir(logsDir(dataDir));
    await writeFile(logFilePath(dataDir), 'x'.repeat(2_000));

    createFileLogger(dataDir, { rotation: { maxBytes: 1_000, keep: 2 } }).info('fresh');

    expect(await readFile(join(logsDir(dataDir), 'app.1.log'), 'utf8')).toBe(
      'x'.repeat(2_000),
    );
    expect((await readLines(logFilePath(dataDir))).map((line) => line.msg)).toEqual([
      'fresh',
    ]);
  });
});

describe('rotateLogFiles', () => {
  async function writeLogs(files: Record<string, string>): Promise<string> {
    const dir = logsDir(dataDir);
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(dir, name), text);
    }
    return dir;
  }

  it('shifts each file one place and drops the oldest', async () => {
    const dir = await writeLogs({
      'app.log': 'current'.repeat(100),
      'app.1.log': 'previous',
      'app.2.log': 'oldest',
    });

    expect(rotateLogFiles(dir, { maxBytes: 100, keep: 2 })).toBe(true);

    expect(await readFile(join(dir, 'app.1.log'), 'utf8')).toBe('current'.repeat(100));
    expect(await readFile(join(dir, 'app.2.log'), 'utf8')).toBe('previous');
    await expect(stat(join(dir, 'app.log'))).rejects.toThrow(/ENOENT/);
  });

  it('leaves a log under the limit alone', async () => {
    const dir = await writeLogs({ 'app.log': 'small' });

    expect(rotateLogFiles(dir, { maxBytes: 100, keep: 2 })).toBe(false);
    expect(await readFile(join(dir, 'app.log'), 'utf8')).toBe('small');
  });

  it('copes with a first run that has no log files at all', () => {
    expect(rotateLogFiles(join(dataDir, 'missing'), { maxBytes: 0, keep: 3 })).toBe(
      false,
    );
  });
});
