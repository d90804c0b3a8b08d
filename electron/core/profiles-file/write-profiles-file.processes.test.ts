import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfilesFile, viewDocument } from './codec.js';
import { formatProfileBlock } from './pydoover-format.js';
import { RevertGuard } from './revert-guard.js';
import { applyPatchToFile } from './write-profiles-file.js';
import { createLogger } from '../logger.js';

/**
 * Real processes writing one file: two copies of the app patching at once,
 * and a writer killed at random moments. The writer is the app's own code,
 * bundled into a small script so plain Node can run it.
 */
const root = resolve(import.meta.dirname, '../../..');
// Inside the project, so the script finds the installed packages.
const buildDir = join(root, 'node_modules', '.cache', 'doover-profiles-tests');
let writerScript: string;
let home: string;
let path: string;

const writerSource = `
import { applyPatchToFile } from ${JSON.stringify(join(import.meta.dirname, 'write-profiles-file.ts'))};
import { createLogger } from ${JSON.stringify(join(import.meta.dirname, '../logger.ts'))};

const [path, mode, tag, countText] = process.argv.slice(2);
const options = { clock: { now: () => Date.now() }, log: createLogger({ level: 'silent' }) };
const count = Number(countText);
for (let index = 1; mode === 'loop' || index <= count; index += 1) {
  const patch = mode === 'loop'
    ? { kind: 'update', profile: tag, fields: { AGENT_ID: String(index) } }
    : { kind: 'create', profile: tag + '-' + index, fields: { AGENT_ID: String(index) } };
  const result = await applyPatchToFile(path, patch, options);
  if (!result.ok) {
    console.error(result.error.message);
    process.exit(1);
  }
  if (index === 1) console.log('writing');
}
`;

beforeAll(async () => {
  await mkdir(buildDir, { recursive: true });
  writerScript = join(await mkdtemp(join(buildDir, 'writer-')), 'writer.mjs');
  await build({
    stdin: { contents: writerSource, loader: 'ts', resolveDir: import.meta.dirname },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: writerScript,
    logLevel: 'silent',
  });
  home = await mkdtemp(join(tmpdir(), 'profiles-processes-'));
  path = join(home, '.doover', 'config');
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(resolve(writerScript, '..'), { recursive: true, force: true });
});

function startWriter(...args: string[]): ChildProcess {
  return spawn(process.execPath, [writerScript, path, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}

function firstWrite(child: ChildProcess): Promise<void> {
  return new Promise((done) => child.stdout?.once('data', () => done()));
}

describe('several processes writing the profiles file', () => {
  it('lands every patch of two app processes writing at once', async () => {
    const count = 300;
    const writers = [
      startWriter('many', 'left', String(count)),
      startWriter('many', 'right', String(count)),
    ];

    const results = await Promise.all(writers.map(finished));

    expect(results).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    const names = viewDocument(
      parseProfilesFile(await readFile(path, 'utf8')),
    ).profiles.map((profile) => profile.name);
    expect(names).toHaveLength(2 * count);
    for (let index = 1; index <= count; index += 1) {
      expect(names).toContain(`left-${index}`);
      expect(names).toContain(`right-${index}`);
    }
  }, 600_000);

  it('leaves the old or the new file, never a broken one, when a writer is killed', async () => {
    await writeFile(path, versionWith('0'));
    for (let round = 0; round < 300; round += 1) {
      const writer = startWriter('loop', 'counter');
      const exited = finished(writer);
      await firstWrite(writer);
      await new Promise((resume) => setTimeout(resume, Math.random() * 20));
      writer.kill('SIGKILL');
      await exited;

      const text = await readFile(path, 'utf8');
      const agent = viewDocument(parseProfilesFile(text)).profiles[0]?.values.get(
        'AGENT_ID',
      );
      expect(text).toBe(versionWith(agent ?? 'missing'));
      // A killed writer cannot remove its lock; here no one waits out its staleness.
      await rm(`${path}.lock`, { recursive: true, force: true });
    }
  }, 600_000);
});

/**
 * What the Doover CLI does to the file, in Python: read the whole file when a
 * command starts, refresh its own token over the network (a pause), write its
 * whole copy back in place with no lock, and start again until told to stop.
 */
const staleRewriterSource = `
import os, random, re, sys, time
path, stop_file = sys.argv[1], sys.argv[2]
rewrites = 0
while not os.path.exists(stop_file):
    with open(path) as config:
        text = config.read()
    time.sleep(random.uniform(0, 0.05))
    rewrites += 1
    text = re.sub(r"(\\[profile=cli]\\nTOKEN=)[^\\n]*", lambda m: m.group(1) + "cli-%d" % rewrites, text)
    with open(path, "w") as config:
        config.write(text)
    time.sleep(random.uniform(0, 0.05))
print(rewrites)
`;

describe('a program that rewrites the whole file from a stale copy, as pydoover does', () => {
  it('never loses a save the app reported', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stale-rewriter-'));
    const configPath = join(folder, 'config');
    const stopFile = join(folder, 'stop');
    const script = join(folder, 'rewriter.py');
    await writeFile(configPath, formatProfileBlock('cli', new Map([['TOKEN', 'cli-0']])));
    await writeFile(script, staleRewriterSource);
    const log = createLogger({ level: process.env.DEBUG_GUARD ? 'info' : 'silent' });
    const clock = { now: () => Date.now() };
    // Shorter than the app’s ten minutes, so the test ends soon; long enough for every
    // save of the run on a busy machine, as the app’s window is for a slow doover login.
    const guard = new RevertGuard({ path: configPath, clock, log, windowMs: 20_000 });
    const rewriter = spawn('python3', [script, configPath, stopFile]);
    let rewrites = '';
    rewriter.stdout.on('data', (chunk: Buffer) => (rewrites += chunk.toString()));
    const rewriterDone = new Promise((done) => rewriter.on('exit', done));

    const reported: string[] = [];
    for (let index = 1; index <= 60; index += 1) {
      const saved = await applyPatchToFile(
        configPath,
        index % 3 === 0
          ? { kind: 'create', profile: `made-${index}`, fields: { AGENT_ID: `${index}` } }
          : {
              kind: 'update',
              profile: 'app',
              fields: { AGENT_ID: `${index}` },
              createIfMissing: true,
            },
        { clock, log, guard },
      );
      if (saved.ok) reported.push(index % 3 === 0 ? `made-${index}` : `app=${index}`);
      await new Promise((resume) => setTimeout(resume, Math.random() * 20));
    }
    await writeFile(stopFile, '');
    await rewriterDone;
    await guard.settled();

    const profiles = viewDocument(
      parseProfilesFile(await readFile(configPath, 'utf8')),
    ).profiles;
    const names = profiles.map((profile) => profile.name);
    const lastAppSave = reported.filter((save) => save.startsWith('app=')).at(-1);
    expect(reported).toHaveLength(60);
    expect(
      `app=${profiles.find((found) => found.name === 'app')?.values.get('AGENT_ID')}`,
    ).toBe(lastAppSave);
    for (const save of reported.filter((name) => name.startsWith('made-'))) {
      expect(names).toContain(save);
    }
    expect(names).toContain('cli');
    // The rewriter did overwrite saves, and they were put back: the race was real.
    expect(Number(rewrites)).toBeGreaterThan(10);
    expect(guard.reappliedCount).toBeGreaterThan(0);
    console.log(
      `stale rewrites: ${rewrites.trim()}, saves put back after one: ${guard.reappliedCount}`,
    );
    await rm(folder, { recursive: true, force: true });
  }, 120_000);
});

function versionWith(agent: string): string {
  return formatProfileBlock('counter', new Map([['AGENT_ID', agent]]));
}
