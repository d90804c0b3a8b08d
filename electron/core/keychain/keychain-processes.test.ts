import { spawn } from 'node:child_process';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeychain } from './keychain.js';
import { journalFolderName } from './secret-move-journal.js';
import {
  keychainSecretLocation,
  recoverSecretMoves,
  type SecretLocation,
  type SecretMoveStep,
} from './secret-move.js';

/**
 * The keychain code in real child processes: one started with no D-Bus
 * session at all (what a desktop without a Secret Service looks like), and
 * moves killed with SIGKILL at each step, then recovered.
 */

const keyringRequired = process.env.DOOVER_TEST_KEYRING === '1';
if (!keyringRequired) {
  console.info(
    '[keychain-processes.test] Skipping the kill-and-recover tests: DOOVER_TEST_KEYRING is not 1 (see e2e/support/with-keyring.sh).',
  );
}

const repoRoot = resolve(import.meta.dirname, '../../..');
const secret = 'refresh-7d1e5c3a9b0f2e4d6c8a1b3f5e7d9c0a';
const childTimeoutMs = 20_000;

let work: string;
let childScript: string;

/**
 * Child processes run plain Node, which cannot load TypeScript: the modules
 * they need are transpiled (types erased) into a temporary copy of the tree.
 */
async function compileForChildren(outDir: string): Promise<string> {
  const keychainDir = join(repoRoot, 'electron/core/keychain');
  const sources = [
    join(repoRoot, 'electron/core/logger.ts'),
    join(repoRoot, 'electron/core/redact.ts'),
    ...(await readdir(keychainDir))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => join(keychainDir, name)),
  ];
  for (const source of sources) {
    const output = ts.transpileModule(await readFile(source, 'utf8'), {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2023,
        verbatimModuleSyntax: true,
      },
    });
    const target = join(outDir, relative(repoRoot, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
  }

  const script = join(outDir, 'electron/core/keychain/testing/keychain-child.mjs');
  await mkdir(dirname(script), { recursive: true });
  await copyFile(join(keychainDir, 'testing', basename(script)), script);
  await symlink(join(repoRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');

  return script;
}

interface ChildRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the child; if `killAfter` is given, kills it with SIGKILL once that line is printed. */
function runChild(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  killAfter?: string,
): Promise<ChildRun> {
  return runCommand(process.execPath, [childScript, ...args], env, killAfter);
}

function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  killAfter?: string,
): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfter !== undefined && stdout.includes(`${killAfter}\n`)) {
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolvePromise({ stdout, stderr, code, signal }));
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'keychain-processes-'));
  childScript = await compileForChildren(join(work, 'build'));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface TimedCall {
  name: string;
  result: { ok?: boolean; error?: { kind: string }; state?: string; message?: string };
  ms: number;
}

describe('with no Secret Service running', () => {
  const account = 'processes.test default@https://auth.doover.com';
  /** An environment where D-Bus can be neither found nor autolaunched. */
  const withoutBus = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: '/nonexistent' };
    delete env.DISPLAY;
    delete env.DBUS_SESSION_BUS_ADDRESS;
    return { ...env, ...overrides };
  };

  it.each([
    ['no session bus at all', withoutBus()],
    [
      'a session bus address that leads nowhere',
      withoutBus({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }),
    ],
  ])(
    'every call and the health check report no-service quickly (%s)',
    async (_case, env) => {
      const run = await runChild(
        ['no-service', JSON.stringify({ account, secret })],
        env,
      );

      expect(run.code, run.stderr).toBe(0);
      const calls = JSON.parse(run.stdout) as TimedCall[];
      expect(calls.map((call) => call.name)).toEqual([
        'set',
        'get',
        'delete',
        'find',
        'health',
      ]);
      for (const call of calls.slice(0, 4)) {
        expect(call.result).toEqual({
          ok: false,
          error: {
            kind: 'no-service',
            message: 'Keychain unavailable: no Secret Service is running.',
          },
        });
      }
      expect(calls[4]?.result).toMatchObject({
        state: 'no-service',
        message:
          'Keychain unavailable: no Secret Service is running. New sign-ins will be kept in the config file unless you start one.',
      });
      for (const call of calls) {
        expect(call.ms).toBeLessThan(1000);
      }
      expect(run.stderr).toContain('keychain call failed');
      expect(run.stdout + run.stderr).not.toContain(secret);
    },
    childTimeoutMs,
  );

  it.runIf(keyringRequired)(
    'a process without the keychain loses nothing stored in it',
    async () => {
      const keychain = createKeychain();
      await keychain.setSecret(account, secret);

      const run = await runChild(
        ['no-service', JSON.stringify({ account, secret: 'replacement' })],
        withoutBus({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }),
      );

      expect(run.code, run.stderr).toBe(0);
      expect(await keychain.getSecret(account)).toEqual({ ok: true, value: secret });
      await keychain.deleteSecret(account);
    },
    childTimeoutMs,
  );
});

describe.runIf(keyringRequired)('a locked keyring', () => {
  /** Runs the child's health check in a new D-Bus session with its own keyring daemon. */
  async function healthInSession(keyringHome: string, daemon: string): Promise<ChildRun> {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: keyringHome };
    delete env.DISPLAY;
    const script = `${daemon} >/dev/null && exec "$0" "$1" health`;

    return runCommand(
      'dbus-run-session',
      ['--', 'sh', '-c', script, process.execPath, childScript],
      env,
    );
  }

  it(
    'is reported as locked, with what the user can do',
    async () => {
      const keyringHome = await mkdtemp(join(work, 'keyring-'));
      const created = await healthInSession(
        keyringHome,
        'printf %s pw | gnome-keyring-daemon --unlock --components=secrets',
      );
      expect(created.code, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ state: 'ok' });

      // The same keyring, in a session where nobody unlocks it (and no prompt can show).
      const locked = await healthInSession(
        keyringHome,
        'gnome-keyring-daemon --start --components=secrets',
      );

      expect(locked.code, locked.stderr).toBe(0);
      expect(JSON.parse(locked.stdout)).toMatchObject({
        state: 'locked',
        message:
          'The keychain is locked, or the request to unlock it was dismissed. Unlock it to keep new sign-ins there; until then they are kept in the config file.',
      });
    },
    childTimeoutMs,
  );
});

describe.runIf(keyringRequired)('a move killed with SIGKILL', () => {
  const keychain = createKeychain();
  const account = 'processes.test killed move@https://auth.doover.com';
  const steps: SecretMoveStep[] = [
    'journal-written',
    'destination-written',
    'destination-verified',
    'source-removed',
  ];

  afterEach(async () => {
    await keychain.deleteSecret(account);
  });

  function fileLocation(path: string): SecretLocation {
    return {
      label: 'the file',
      read: () =>
        readFile(path, 'utf8').catch((error: { code?: string }) => {
          if (error.code === 'ENOENT') {
            return null;
          }
          throw error;
        }),
      write: (value) => writeFile(path, value, { mode: 0o600 }),
      remove: () => rm(path, { force: true }),
    };
  }

  for (const direction of ['to-file', 'to-keychain'] as const) {
    it.each(steps)(
      `${direction}: killed after %s, it loses nothing and the next start finishes it`,
      async (step) => {
        const dataDir = await mkdtemp(join(work, 'data-'));
        const file = join(dataDir, 'config-secret');
        const inKeychain = keychainSecretLocation(keychain, account);
        const inFile = fileLocation(file);
        const [source, destination] =
          direction === 'to-file' ? [inKeychain, inFile] : [inFile, inKeychain];
        await source.write(secret);

        const run = await runChild(
          ['move', JSON.stringify({ dataDir, account, file, direction, stopAt: step })],
          process.env,
          `stopped ${step}`,
        );

        expect(run.signal, run.stderr).toBe('SIGKILL');
        const held = [await source.read(), await destination.read()];
        expect(held).toContain(secret);

        const recovered = await recoverSecretMoves({
          dataDir,
          locate: () => ({ source, destination }),
        });

        const undone = step === 'journal-written';
        expect(recovered).toMatchObject([
          { subject: account, outcome: undone ? 'rolled-back' : 'completed' },
        ]);
        expect(await source.read()).toBe(undone ? secret : null);
        expect(await destination.read()).toBe(undone ? null : secret);
        expect(await readdir(join(dataDir, journalFolderName))).toEqual([]);
      },
      childTimeoutMs,
    );
  }

  it(
    'runs to the end when not stopped',
    async () => {
      const dataDir = await mkdtemp(join(work, 'data-'));
      const file = join(dataDir, 'config-secret');
      await keychainSecretLocation(keychain, account).write(secret);

      const run = await runChild([
        'move',
        JSON.stringify({ dataDir, account, file, direction: 'to-file', stopAt: 'never' }),
      ]);

      expect(run.stdout).toBe('done {"status":"moved"}\n');
      expect(await readFile(file, 'utf8')).toBe(secret);
      expect(await keychain.getSecret(account)).toEqual({ ok: true, value: null });
    },
    childTimeoutMs,
  );
});
