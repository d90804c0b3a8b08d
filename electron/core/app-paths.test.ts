import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppProfilesFile, profilesFilePath } from './app-paths.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'app-paths-'));
  await mkdir(join(home, '.doover'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('which file is the app’s own', () => {
  it('knows ~/.doover/config by any path that leads to it, even before it exists', async () => {
    expect(
      isAppProfilesFile(join(home, '.doover', '..', '.doover', 'config'), home),
    ).toBe(true);
    await writeFile(join(home, 'real-config'), '');
    await rm(profilesFilePath(home), { force: true });
    await symlink(join(home, 'real-config'), profilesFilePath(home));

    expect(isAppProfilesFile(join(home, 'real-config'), home)).toBe(true);
  });

  it('tells another file apart', () => {
    expect(isAppProfilesFile(join(home, 'other.conf'), home)).toBe(false);
  });
});
