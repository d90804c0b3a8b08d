import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valueIn } from './testing-app.js';

/**
 * The app's services with the real keychain module on a desktop with no
 * Secret Service. libsecret keeps its first D-Bus connection for the life of
 * the process, so this runs in a child process started with a session bus
 * address that leads nowhere and no display to autolaunch one on.
 */

const child = resolve(import.meta.dirname, 'testing/no-keyring-child.mjs');

interface ChildReport {
  signedIn: unknown;
  afterSignIn: string;
  serviceAccount: unknown;
  status: unknown;
  refreshed: unknown;
  afterRefresh: string;
  moved: unknown;
  afterMove: string;
  renamed: unknown;
  settings: unknown;
  refreshTokens: Array<string | undefined>;
  clientSecret: string;
  logLines: string[];
}

function runChild(): Promise<ChildReport> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
  };
  delete env.DISPLAY;

  return new Promise((resolvePromise, reject) => {
    const running = spawn(process.execPath, ['--import', 'tsx', child], { env });
    let stdout = '';
    let stderr = '';
    running.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    running.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    running.on('error', reject);
    running.on('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolvePromise(JSON.parse(last) as ChildReport);
      } else {
        reject(new Error(`the child exited with ${code}: ${stderr.slice(-2000)}`));
      }
    });
  });
}

describe('without a Secret Service', () => {
  it('signs in to the file and says so, refuses service accounts in plain words, and loses nothing', async () => {
    const report = await runChild();

    expect(report.signedIn).toEqual({
      state: 'signed-in',
      profile: 'work',
      signedInAs: 'person@example.com',
      store: 'file',
      message:
        'The keychain is not available. The sign-in is kept in the config file, where command-line tools can renew it.',
    });
    const [first, rotated] = report.refreshTokens;
    expect(first).toEqual(expect.stringMatching(/.{20}/));
    expect(valueIn(report.afterSignIn, 'work', 'TOKEN')).toMatch(/^eyJ/);

    expect(report.serviceAccount).toEqual({
      ok: false,
      error: {
        code: 'keychain-unavailable',
        message:
          "A service account's client secret is kept only in the keychain, and the keychain cannot be used: Keychain unavailable: no Secret Service is running.",
      },
    });
    expect(report.afterRefresh).not.toContain('[profile=robot]');
    expect(report.status).toMatchObject({
      ok: true,
      value: {
        state: 'no-service',
        message:
          'Keychain unavailable: no Secret Service is running. New sign-ins will be kept in the config file unless you start one.',
        orphans: [],
      },
    });

    // The sign-in in the file still renews, and a refused move leaves it there.
    expect(report.refreshed).toMatchObject({ ok: true, value: { refreshed: true } });
    expect(rotated).toEqual(expect.stringMatching(/.{20}/));
    expect(rotated).not.toBe(first);
    expect(report.moved).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message:
          'The sign-in could not be written to the keychain (Keychain unavailable: no Secret Service is running); it stays in the config file.',
      },
    });
    expect(report.afterMove).toBe(report.afterRefresh);
    // A rename of a sign-in in the file has nothing to say about the keychain.
    expect(report.renamed).toMatch(/work renamed/);
    expect(report.renamed).not.toMatch(/keychain/i);
    expect(report.settings).toMatchObject({
      ok: true,
      value: { profiles: { 'work renamed': { signInStore: 'file' } } },
    });

    const said = [
      ...report.logLines,
      JSON.stringify([report.signedIn, report.serviceAccount, report.moved]),
    ].join('');
    for (const secret of [first, rotated, report.clientSecret]) {
      expect(said.includes(secret ?? ''), 'a secret was logged or told').toBe(false);
    }
  }, 60_000);
});
