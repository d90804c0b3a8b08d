import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeychain } from './keychain.js';
import {
  journalFolderName,
  journalPath,
  newJournal,
  saveJournal,
} from './secret-move-journal.js';
import {
  keychainSecretLocation,
  moveSecret,
  recoverSecretMoves,
  type SecretLocation,
  type SecretMoveStep,
} from './secret-move.js';

const keyringRequired = process.env.DOOVER_TEST_KEYRING === '1';
if (!keyringRequired) {
  console.info(
    '[secret-move.test] Skipping moves through the real keyring: DOOVER_TEST_KEYRING is not 1 (see e2e/support/with-keyring.sh).',
  );
}

const secret = 'refresh-0f3c9a7e5b1d4c2a8e6f0b9d7c5a3e1f';
const subject = 'default@https://auth.doover.com';

let root: string;
let dataDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'secret-move-'));
  dataDir = join(root, 'data');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A secret kept in a plain file: the simplest real place. */
function fileLocation(name: string): SecretLocation {
  const path = join(root, name);
  return {
    label: `the file ${name}`,
    read: async () => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') {
          return null;
        }
        throw error;
      }
    },
    write: (value) => writeFileAtomic(path, value, { mode: 0o600 }),
    remove: () => rm(path, { force: true }),
  };
}

async function journalFiles(): Promise<string[]> {
  return readdir(join(dataDir, journalFolderName)).catch(() => []);
}

describe('moveSecret', () => {
  it('copies, checks, then removes the source, reporting each step', async () => {
    const source = fileLocation('source');
    const destination = fileLocation('destination');
    await source.write(secret);
    const steps: SecretMoveStep[] = [];
    const journals: string[] = [];

    const result = await moveSecret(
      { subject, source, destination },
      {
        dataDir,
        onStep: async (step) => {
          steps.push(step);
          journals.push(
            await readFile(journalPath(dataDir, subject), 'utf8').catch(() => ''),
          );
        },
      },
    );

    expect(result).toEqual({ status: 'moved' });
    expect(steps).toEqual([
      'journal-written',
      'destination-written',
      'destination-verified',
      'source-removed',
    ]);
    expect(await source.read()).toBeNull();
    expect(await destination.read()).toBe(secret);
    expect(await journalFiles()).toEqual([]);
    expect(journals.map((text) => (JSON.parse(text) as { step: string }).step)).toEqual([
      'copying',
      'copying',
      'copied',
      'copied',
    ]);
    expect(journals.join('')).not.toContain(secret);
  });

  it('keeps the journal private and free of the secret', async () => {
    const source = fileLocation('source');
    await source.write(secret);
    let mode = 0;
    let text = '';

    await moveSecret(
      { subject, source, destination: fileLocation('destination') },
      {
        dataDir,
        onStep: async (step) => {
          if (step === 'journal-written') {
            mode = (await stat(journalPath(dataDir, subject))).mode & 0o777;
            text = await readFile(journalPath(dataDir, subject), 'utf8');
          }
        },
      },
    );

    expect(mode).toBe(0o600);
    expect((await stat(join(dataDir, journalFolderName))).mode & 0o777).toBe(0o700);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(8, 24));
  });

  it('has nothing to move when the source is empty', async () => {
    const result = await moveSecret(
      {
        subject,
        source: fileLocation('source'),
        destination: fileLocation('destination'),
      },
      { dataDir },
    );

    expect(result).toEqual({
      status: 'nothing-to-move',
      message: 'There is no sign-in in the file source.',
    });
  });

  it('leaves the secret in the source when the destination cannot be written', async () => {
    const source = fileLocation('source');
    await source.write(secret);
    const destination: SecretLocation = {
      ...fileLocation('destination'),
      write: () => Promise.reject(new Error('disk full')),
    };

    const result = await moveSecret({ subject, source, destination }, { dataDir });

    expect(result).toEqual({
      status: 'failed',
      message:
        'The sign-in could not be written to the file destination; it stays in the file source.',
    });
    expect(await source.read()).toBe(secret);
    expect(await journalFiles()).toEqual([]);
  });

  it('undoes the copy when the destination gives back something else', async () => {
    const source = fileLocation('source');
    const real = fileLocation('destination');
    await source.write(secret);
    const destination: SecretLocation = {
      ...real,
      read: async () => (await real.read())?.slice(0, 10) ?? null,
    };

    const result = await moveSecret({ subject, source, destination }, { dataDir });

    expect(result).toMatchObject({ status: 'failed' });
    expect(await source.read()).toBe(secret);
    // The truncated copy is not recognized as the secret, so it is left alone.
    expect(await real.read()).toBe(secret);
    expect(await journalFiles()).toEqual([]);
  });

  it('removes its copy again when the check fails and the source still holds the secret', async () => {
    const source = fileLocation('source');
    const real = fileLocation('destination');
    await source.write(secret);
    let reads = 0;
    const destination: SecretLocation = {
      ...real,
      // The first read back fails; the roll-back's read sees the real file.
      read: async () => {
        reads += 1;
        if (reads === 1) {
          throw new Error('read failed');
        }
        return real.read();
      },
    };

    const result = await moveSecret({ subject, source, destination }, { dataDir });

    expect(result).toMatchObject({ status: 'failed' });
    expect(await source.read()).toBe(secret);
    expect(await real.read()).toBeNull();
  });

  it('keeps both copies and the journal when the source cannot be removed', async () => {
    const realSource = fileLocation('source');
    await realSource.write(secret);
    const source: SecretLocation = {
      ...realSource,
      remove: () => Promise.reject(new Error('busy')),
    };
    const destination = fileLocation('destination');

    const result = await moveSecret({ subject, source, destination }, { dataDir });

    expect(result).toEqual({
      status: 'moved-source-kept',
      message:
        'The sign-in is now in the file destination, but it could not be removed from the file source. The app tries again at the next start.',
    });
    expect(await realSource.read()).toBe(secret);
    expect(await destination.read()).toBe(secret);
    expect(await journalFiles()).toHaveLength(1);

    const recovered = await recoverSecretMoves({
      dataDir,
      locate: () => ({ source: realSource, destination }),
    });

    expect(recovered).toMatchObject([{ subject, outcome: 'completed' }]);
    expect(await realSource.read()).toBeNull();
    expect(await destination.read()).toBe(secret);
  });

  it('refuses to start while an earlier move of the same subject is unfinished', async () => {
    const source = fileLocation('source');
    await source.write(secret);
    await saveJournal(
      dataDir,
      newJournal({ subject, from: 'a', to: 'b', startedAt: 0 }, 'other'),
    );

    const result = await moveSecret(
      { subject, source, destination: fileLocation('destination') },
      { dataDir },
    );

    expect(result).toMatchObject({ status: 'busy' });
    expect(await source.read()).toBe(secret);
  });
});

describe('recoverSecretMoves', () => {
  const source = () => fileLocation('source');
  const destination = () => fileLocation('destination');
  const locate = () => ({ source: source(), destination: destination() });

  async function journalMove(value: string): Promise<void> {
    await saveJournal(
      dataDir,
      newJournal(
        { subject, from: 'the file source', to: 'the file destination', startedAt: 0 },
        value,
      ),
    );
  }

  it('does nothing when no move was cut short', async () => {
    expect(await recoverSecretMoves({ dataDir, locate })).toEqual([]);
  });

  it('completes a move whose destination holds the secret', async () => {
    await journalMove(secret);
    await source().write(secret);
    await destination().write(secret);

    const recovered = await recoverSecretMoves({ dataDir, locate });

    expect(recovered).toEqual([
      {
        subject,
        outcome: 'completed',
        message:
          'A move of a sign-in to the file destination that was cut short has been completed.',
      },
    ]);
    expect(await source().read()).toBeNull();
    expect(await destination().read()).toBe(secret);
    expect(await journalFiles()).toEqual([]);
  });

  it('rolls back a move whose destination never got the secret', async () => {
    await journalMove(secret);
    await source().write(secret);
    await destination().write('an older value');

    const recovered = await recoverSecretMoves({ dataDir, locate });

    expect(recovered).toMatchObject([{ outcome: 'rolled-back' }]);
    expect(await source().read()).toBe(secret);
    expect(await destination().read()).toBe('an older value');
    expect(await journalFiles()).toEqual([]);
  });

  it('drops a move both of whose places have changed since, touching neither', async () => {
    await journalMove(secret);
    await source().write('newer in source');
    await destination().write('newer in destination');

    const recovered = await recoverSecretMoves({ dataDir, locate });

    expect(recovered).toMatchObject([{ outcome: 'superseded' }]);
    expect(await source().read()).toBe('newer in source');
    expect(await destination().read()).toBe('newer in destination');
  });

  it('keeps a move it cannot check for the next start', async () => {
    await journalMove(secret);
    await source().write(secret);
    const unreadable = {
      ...destination(),
      read: () => Promise.reject(new Error('locked')),
    };

    const recovered = await recoverSecretMoves({
      dataDir,
      locate: () => ({ source: source(), destination: unreadable }),
    });
    const unknown = await recoverSecretMoves({ dataDir, locate: () => null });

    expect(recovered).toMatchObject([{ outcome: 'pending' }]);
    expect(unknown).toMatchObject([{ outcome: 'pending' }]);
    expect(await source().read()).toBe(secret);
    expect(await journalFiles()).toHaveLength(1);
  });

  it('reports a damaged journal and leaves it in place', async () => {
    await mkdir(join(dataDir, journalFolderName), { recursive: true });
    await writeFile(join(dataDir, journalFolderName, 'x.json'), '{"version":');

    const recovered = await recoverSecretMoves({ dataDir, locate });

    expect(recovered).toMatchObject([{ subject: null, outcome: 'unreadable' }]);
    expect(await journalFiles()).toEqual(['x.json']);
  });
});

describe.runIf(keyringRequired)('moving through the real keychain', () => {
  const keychain = createKeychain();
  const account = 'secret-move.test move@https://auth.doover.com';

  afterEach(async () => {
    await keychain.deleteSecret(account);
  });

  it('moves a refresh token out of the keychain and back', async () => {
    const inKeychain = keychainSecretLocation(keychain, account);
    const inFile = fileLocation('config');
    await inKeychain.write(secret);

    const out = await moveSecret(
      { subject: account, source: inKeychain, destination: inFile },
      { dataDir },
    );
    expect(out).toEqual({ status: 'moved' });
    expect(await inKeychain.read()).toBeNull();
    expect(await inFile.read()).toBe(secret);

    const back = await moveSecret(
      { subject: account, source: inFile, destination: inKeychain },
      { dataDir },
    );
    expect(back).toEqual({ status: 'moved' });
    expect(await inKeychain.read()).toBe(secret);
    expect(await inFile.read()).toBeNull();
  });
});
