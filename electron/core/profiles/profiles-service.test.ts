import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../../shared/profile-types.js';
import { profilesFilePath } from '../app-paths.js';
import { createLogger } from '../logger.js';
import { ProfilesService } from './profiles-service.js';

const block = (name: string, token: string) =>
  `[profile=${name}]\nTOKEN=${token}\nTOKEN_EXPIRES=1796316914.0\nAGENT_ID=\nBASE_URL=https://api.doover.com\n`;

let home: string;
let service: ProfilesService;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'profiles-service-'));
  service = new ProfilesService({
    path: profilesFilePath(home),
    clock: { now: () => Date.now() },
    log: createLogger({ level: 'silent' }),
  });
});

afterEach(async () => {
  await service.stop();
  await rm(home, { recursive: true, force: true });
});

function nextSnapshot(): Promise<ConfigSnapshot> {
  return new Promise((resolve) => {
    const stop = service.onSnapshot((snapshot) => {
      stop();
      resolve(snapshot);
    });
  });
}

describe('the profiles service', () => {
  it('reports a missing file as such, then notices when it is created', async () => {
    await service.start();
    expect(service.snapshot.file.status).toBe('missing');

    const changed = nextSnapshot();
    await mkdir(join(home, '.doover'));
    await writeFile(
      profilesFilePath(home),
      block('default', 'secret-token-one-abcdefgh'),
    );
    const snapshot = await changed;

    expect(snapshot.file.status).toBe('ok');
    expect(snapshot.profiles.map((profile) => profile.name)).toEqual(['default']);
  });

  it('follows edits and atomic replacements by other programs', async () => {
    await mkdir(join(home, '.doover'));
    await writeFile(profilesFilePath(home), block('a', 'tok-a-0123456789abcdef'));
    await service.start();

    let changed = nextSnapshot();
    await writeFile(profilesFilePath(home), `${block('a', 'x')}\n\n${block('b', 'y')}`);
    expect((await changed).profiles.map((profile) => profile.name)).toEqual(['a', 'b']);

    changed = nextSnapshot();
    await writeFile(`${profilesFilePath(home)}.tmp`, block('c', 'z'));
    await rename(`${profilesFilePath(home)}.tmp`, profilesFilePath(home));
    expect((await changed).profiles.map((profile) => profile.name)).toEqual(['c']);
  });

  it('describes a truncate-and-rewrite as the change it is, not as a removal', async () => {
    await mkdir(join(home, '.doover'));
    await writeFile(profilesFilePath(home), block('default', 'token-before-0123456789'));
    await service.start();
    const described: string[] = [];
    service.onFileChanges((changes) =>
      described.push(...changes.map((each) => each.message)),
    );
    const shown: number[] = [];
    service.onSnapshot((snapshot) => shown.push(snapshot.profiles.length));

    // What pydoover does: open for writing (truncating), then write the whole file.
    await writeFile(profilesFilePath(home), '');
    await new Promise((resolve) => setTimeout(resolve, 60)); // a slow writer, seen mid-write
    await writeFile(profilesFilePath(home), block('default', 'token-after-0123456789'));
    await expect.poll(() => described.length, { timeout: 5_000 }).toBeGreaterThan(0);

    expect(described.join(' ')).toMatch(/default: token renewed by another program/);
    expect(described.join(' ')).not.toMatch(/removed/);
    expect(shown).not.toContain(0);
  });

  it('never puts a secret in the snapshot, and reveals one only when asked', async () => {
    const token = 'eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTYzMTY5MTR9.sig-abcdef';
    await mkdir(join(home, '.doover'));
    await writeFile(profilesFilePath(home), block('default', token));
    await service.start();

    expect(JSON.stringify(service.snapshot)).not.toContain(token);
    expect(service.snapshot.profiles[0]?.maskedToken).toBe('eyJh…cdef');
    expect(await service.revealSecret('default', 'token')).toEqual({
      ok: true,
      value: { value: token },
    });
    expect((await service.revealSecret('default', 'refreshToken')).ok).toBe(false);
    expect((await service.revealSecret('nobody', 'token')).ok).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)(
    'explains a file it has no permission to read',
    async () => {
      await mkdir(join(home, '.doover'));
      await writeFile(profilesFilePath(home), block('a', 'b'));
      await chmod(profilesFilePath(home), 0o000);
      await service.start();

      expect(service.snapshot.file).toMatchObject({ status: 'unreadable' });
    },
  );

  it('explains a folder where the file should be', async () => {
    await mkdir(profilesFilePath(home), { recursive: true });
    await service.start();

    expect(service.snapshot.file).toMatchObject({
      status: 'unreadable',
      cause: 'It is a folder, not a file.',
    });
  });

  it('explains a file that is not UTF-8 text', async () => {
    await mkdir(join(home, '.doover'));
    await writeFile(profilesFilePath(home), Buffer.from([0x5b, 0xff, 0xfe, 0x0a]));
    await service.start();

    expect(service.snapshot.file).toMatchObject({
      status: 'unreadable',
      cause: expect.stringContaining('not UTF-8'),
      remedy: expect.stringContaining(
        'Restore an earlier version (the app’s History view keeps them)',
      ),
    });
  });

  it('explains a link that leads back to itself', async () => {
    await mkdir(join(home, '.doover'));
    await symlink(profilesFilePath(home), profilesFilePath(home));
    await service.start();

    expect(service.snapshot.file).toMatchObject({
      status: 'unreadable',
      cause: 'Its path is a chain of links that leads back to itself.',
    });
  });
});
