import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/app-services.js';
import { createLogger } from '../core/logger.js';
import {
  refusedExitCode,
  runDeleteCommand,
  runRenameCommand,
  runSetCommand,
  type EditContext,
} from './edit-commands.js';

const fixture = resolve(
  import.meta.dirname,
  '../../../shared/fixtures/pydoover/04-legacy-doover1-block-kept.conf',
);
let folder: string;
let context: EditContext;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cli-edit-'));
  context = {
    path: join(folder, 'config'),
    dataDir: join(folder, 'data'),
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
  };
  await writeFile(context.path, await readFile(fixture));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the editing commands', () => {
  it('sets keys through the patch code, leaving the other blocks byte for byte', async () => {
    const before = await readFile(context.path, 'utf8');
    const output = await runSetCommand(context, 'default', [
      'AGENT_ID=42',
      'TOKEN_EXPIRES=1796316914',
    ]);

    expect(output).toMatchObject({ exitCode: 0, stderr: '' });
    const after = await readFile(context.path, 'utf8');
    const legacyBlock = before.split('\n\n')[0] ?? '';
    expect(after.startsWith(`${legacyBlock}\n\n`)).toBe(true);
    expect(after).toContain('\nAGENT_ID=42\n');
    expect(after).toContain('\nTOKEN_EXPIRES=1796316914.0\n');
  });

  it('creates a missing profile, renames and deletes it', async () => {
    expect(
      (await runSetCommand(context, 'lab', ['BASE_URL=http://127.0.0.1:9011'])).exitCode,
    ).toBe(0);
    expect((await runRenameCommand(context, 'lab', 'lab-2')).exitCode).toBe(0);
    expect(await readFile(context.path, 'utf8')).toContain('[profile=lab-2]\n');

    expect((await runDeleteCommand(context, 'lab-2')).exitCode).toBe(0);
    expect(await readFile(context.path, 'utf8')).not.toContain('lab-2');
  });

  it('refuses with a plain message and exit code 2, changing nothing', async () => {
    const before = await readFile(context.path, 'utf8');
    const cases = [
      await runSetCommand(context, 'default', ['NOT_A_KEY=1']),
      await runSetCommand(context, 'default', ['TOKEN_EXPIRES=2026-01-01']),
      await runSetCommand(context, 'default', ['BASE_URL=ftp://example.test']),
      await runSetCommand(context, ' padded', ['AGENT_ID=1']),
      await runRenameCommand(context, 'nobody', 'somebody'),
      await runDeleteCommand(context, 'nobody'),
    ];

    for (const output of cases) {
      expect(output.exitCode).toBe(refusedExitCode);
      expect(output.stderr.length).toBeGreaterThan(10);
    }
    expect(await readFile(context.path, 'utf8')).toBe(before);
  });
});
