import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallName, CallResponse } from '../../../shared/contract.js';
import type { FileChange } from '../../../shared/profile-types.js';
import type { Result } from '../../../shared/result.js';
import { profilesFilePath } from '../app-paths.js';
import { createAppServices, type AppServices } from '../app-services.js';
import { createCallDispatcher, type DispatchCall } from '../call-dispatcher.js';
import { createLogger } from '../logger.js';
import { formatProfileBlock } from '../profiles-file/pydoover-format.js';

/**
 * The editing calls end to end, as the renderer makes them: through the
 * dispatcher that validates every request, against a real file.
 */
const fixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures/pydoover');
const token = 'eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTYzMTY5MTR9.signature-abcdef';
const log = createLogger({ level: process.env.DEBUG_EDITOR ? 'info' : 'silent' });

let home: string;
let path: string;
let now: number;
let services: AppServices;
let dispatch: DispatchCall;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'profile-editor-'));
  path = profilesFilePath(home);
  now = Date.now();
  services = createAppServices({
    homeDir: home,
    dataDir: join(home, 'data'),
    log,
    clock: { now: () => now },
  });
  dispatch = createCallDispatcher(services.handlers, log);
  await services.start();
});

afterEach(async () => {
  await services.stop();
  await rm(home, { recursive: true, force: true });
});

async function call<Name extends CallName>(
  channel: string,
  request: unknown,
): Promise<Result<CallResponse<Name>>> {
  return (await dispatch(channel, request)) as Result<CallResponse<Name>>;
}

async function succeed<Name extends CallName>(
  channel: string,
  request: unknown,
): Promise<CallResponse<Name>> {
  const result = await call<Name>(channel, request);
  if (!result.ok) {
    throw new Error(`${channel}: ${result.error.message}`);
  }
  return result.value;
}

const onDisk = () => readFile(path, 'utf8');
const block = (name: string, values: Record<string, string>) =>
  formatProfileBlock(name, new Map(Object.entries(values)));

describe('editing profiles through the contract', () => {
  it('creates, edits, renames, duplicates and deletes, touching only the profile at hand', async () => {
    await succeed('profiles:create', {
      name: 'default',
      fields: {
        TOKEN: token,
        BASE_URL: 'https://api.doover.com',
        TOKEN_EXPIRES: 1796316914,
      },
    });
    const created = block('default', {
      TOKEN: token,
      TOKEN_EXPIRES: '1796316914.0',
      BASE_URL: 'https://api.doover.com',
    });
    expect(await onDisk()).toBe(created);

    const updated = await succeed<'updateProfile'>('profiles:update', {
      name: 'default',
      fields: { AGENT_ID: '42' },
    });
    expect(updated.description).toBe("Changed AGENT_ID of profile 'default'");
    expect(updated.snapshot.profiles[0]?.agentId).toBe('42');
    expect(JSON.stringify(updated)).not.toContain(token);

    await succeed('profiles:duplicate', { name: 'default', newName: 'Copy of default' });
    await succeed('profiles:rename', { name: 'Copy of default', newName: 'spare' });
    const withSpare = await onDisk();
    expect(withSpare.startsWith(`${created.replace('AGENT_ID=', 'AGENT_ID=42')}\n`)).toBe(
      true,
    );
    expect(withSpare).toContain('[profile=spare]\n');

    await succeed('profiles:delete', { name: 'spare' });
    expect(await onDisk()).toBe(created.replace('AGENT_ID=', 'AGENT_ID=42'));
  });

  it('refuses names pydoover could not read back, with the reason, and asks before replacing', async () => {
    await succeed('profiles:create', { name: 'a', fields: {} });

    expect(await call('profiles:create', { name: ' a', fields: {} })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('start or end') },
    });
    expect(await call('profiles:rename', { name: 'a', newName: 'b\nc' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('line break') },
    });
    expect(await call('profiles:create', { name: 'a', fields: {} })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(
      await call('profiles:create', {
        name: 'a',
        fields: { AGENT_ID: '1' },
        replace: true,
      }),
    ).toMatchObject({ ok: true });
  });

  it('refuses requests that do not match the contract before anything runs', async () => {
    for (const request of [
      { name: 'a', fields: { UNKNOWN: 'x' } },
      { name: 'a', fields: { TOKEN_EXPIRES: 'tomorrow' } },
      { name: 'a', fields: {}, extra: true },
    ]) {
      expect(await call('profiles:update', request)).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    }
    await expect(readFile(path)).rejects.toThrow();
  });

  it('undoes a deletion by putting the exact bytes back, once, and only for a while', async () => {
    const original = await readFile(
      join(fixturesDir, '02-two-profiles-as-pydoover-writes.conf'),
      'utf8',
    );
    await mkdir(join(home, '.doover'));
    await writeFile(path, original);

    const deleted = await succeed<'deleteProfile'>('profiles:delete', {
      name: 'default',
    });
    expect(deleted.undo).toMatchObject({
      profile: 'default',
      undoableUntil: now + 60_000,
    });
    await succeed('profiles:undo-delete', { undoId: deleted.undo.undoId });
    expect(await onDisk()).toBe(original);
    expect(
      await call('profiles:undo-delete', { undoId: deleted.undo.undoId }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const again = await succeed<'deleteProfile'>('profiles:delete', { name: 'staging' });
    now += 60_001;
    expect(
      await call('profiles:undo-delete', { undoId: again.undo.undoId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('shows a block it does not manage with secrets masked, and deletes exactly that block', async () => {
    const original = await readFile(
      join(fixturesDir, '04-legacy-doover1-block-kept.conf'),
      'utf8',
    );
    await mkdir(join(home, '.doover'));
    await writeFile(path, original);

    const shown = await succeed<'getPreservedBlock'>('profiles:get-preserved-block', {
      index: 0,
    });
    expect(shown.text).toContain('PASSWORD=••••••••');
    expect(shown.text).not.toContain('cGFzcw==');
    expect(shown.text).toContain('AGENT_ID=77');

    await succeed('profiles:delete-preserved-block', {
      index: 0,
      fingerprint: shown.fingerprint,
    });
    expect(await onDisk()).toBe(original.slice(original.indexOf('[profile=default]')));
    expect(
      await call('profiles:delete-preserved-block', {
        index: 0,
        fingerprint: shown.fingerprint,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('hides secrets in a block of any shape, keeping what says what the block is', async () => {
    await mkdir(join(home, '.doover'));
    await writeFile(
      path,
      [
        '[profile=wrapped]',
        'TOKEN=eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3OTYzMTY5MTR9',
        '.WRAPPEDSIGNATURE0123456789',
        'client_secret: CLIENTSECRET888',
        'password HUNTERPASS999',
        'BASE_URL=https://api.doover.com',
        'AGENT_ID=6f1c2d3e-0000-4000-8000-000000000001',
        '',
      ].join('\n'),
    );

    const shown = await succeed<'getPreservedBlock'>('profiles:get-preserved-block', {
      index: 0,
    });

    for (const secret of [
      'eyJhbGci',
      'WRAPPEDSIGNATURE',
      'CLIENTSECRET888',
      'HUNTERPASS999',
    ]) {
      expect(shown.text).not.toContain(secret);
    }
    expect(shown.text).toContain('client_secret: ••••••••');
    expect(shown.text).toContain('password ••••••••');
    expect(shown.text).toContain('BASE_URL=https://api.doover.com');
    expect(shown.text).toContain('AGENT_ID=6f1c2d3e-0000-4000-8000-000000000001');
  });

  it('repairs an expiry pydoover cannot read', async () => {
    await mkdir(join(home, '.doover'));
    await writeFile(
      path,
      await readFile(
        join(fixturesDir, '09-iso-expiry-pydoover-cannot-read.conf'),
        'utf8',
      ),
    );
    await services.stop();
    await services.start();

    const repaired = await succeed<'repairExpiry'>('profiles:repair-expiry', {
      name: 'bad',
      repair: 'from-token',
    });

    expect(repaired.snapshot.pydooverError).toBeNull();
    expect(await onDisk()).toContain('TOKEN_EXPIRES=1796316914.0\n');
  });

  it('separates profiles that run into one another, after refusing to edit them', async () => {
    await mkdir(join(home, '.doover'));
    await writeFile(
      path,
      await readFile(join(fixturesDir, '14-no-blank-line-between-profiles.conf')),
    );
    await services.stop();
    await services.start();

    const edit = await call('profiles:update', { name: 'a', fields: { AGENT_ID: 'x' } });
    expect(edit).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const separated = await succeed<'separateJoinedProfiles'>(
      'profiles:separate-joined',
      { name: 'a' },
    );
    expect(await onDisk()).toBe('[profile=a]\nTOKEN=1\n\n[profile=b]\nTOKEN=2\n');
    expect(separated.description).toBe("Separated profile 'b' from profile 'a'");
    expect(separated.snapshot.profiles.map((profile) => profile.name)).toEqual([
      'a',
      'b',
    ]);
    expect(separated.snapshot.profiles[0]?.joinedProfiles).toEqual([]);
    const history = await succeed<'listHistory'>('history:list', {});
    expect(history[0]?.replacedBy).toBe("Separated profile 'b' from profile 'a'");
  });

  it('keeps replaced versions and restores one through the same careful write', async () => {
    await succeed('profiles:create', { name: 'a', fields: { AGENT_ID: '1' } });
    const first = await onDisk();
    await succeed('profiles:update', { name: 'a', fields: { AGENT_ID: '2' } });
    await succeed('profiles:create', { name: 'b', fields: {} });

    const history = await succeed<'listHistory'>('history:list', {});
    expect(history.map((entry) => entry.replacedBy)).toEqual([
      "Created profile 'b'",
      "Changed AGENT_ID of profile 'a'",
    ]);
    expect(history[1]?.profileNames).toEqual(['a']);

    const restored = await succeed<'restoreHistory'>('history:restore', {
      id: history[1]?.id,
    });
    expect(await onDisk()).toBe(first);
    expect(restored.snapshot.profiles.map((profile) => profile.name)).toEqual(['a']);
    const after = await succeed<'listHistory'>('history:list', {});
    expect(after[0]?.replacedBy).toMatch(
      /^Restored the file as it was on \w{3} \d+, \d{4}/,
    );
    expect(after[0]?.profileNames).toEqual(['a', 'b']);
  });

  it('tells of changes by other programs, and never of its own', async () => {
    const heard: FileChange[][] = [];
    let heardOther: () => void = () => undefined;
    const otherChange = new Promise<void>((resolve) => (heardOther = resolve));
    services.onEvent((name, payload) => {
      if (name === 'onFileChanges') {
        heard.push(payload as FileChange[]);
        heardOther();
      }
    });

    await succeed('profiles:create', { name: 'default', fields: { TOKEN: 'one' } });
    await succeed('profiles:create', { name: 'test', fields: {} });
    await succeed('profiles:update', { name: 'default', fields: { AGENT_ID: '3' } });
    // Ten minutes later (sooner, 'test' vanishing would be taken for a stale
    // copy written over the app's save, and put back), another program: a
    // token refresh, and 'test' gone, as the CLI writes it
    // (replaced in one step here, so the watcher cannot catch it half written).
    now += 10 * 60_000 + 1_000;
    await writeFile(`${path}.other`, block('default', { TOKEN: 'two', AGENT_ID: '3' }));
    await rename(`${path}.other`, path);
    await otherChange;

    expect(heard).toHaveLength(1);
    expect(heard[0]?.map((change) => change.message)).toEqual([
      "Profile 'test' was removed by another program",
      expect.stringMatching(/^default: token renewed by another program at \d\d:\d\d$/),
    ]);
  });
});
