// A child process for keychain-processes.test.ts, run from the test's compiled
// copy of this folder. `health` prints a health check; `no-service` runs every
// keychain call and reports what came back; `move` moves a secret between the keychain and a file and can stop
// for good at a step, so the test can kill it there.
import { readFile, rm } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { createLogger } from '../../logger.js';
import { checkKeychainHealth } from '../keychain-health.js';
import { createKeychain } from '../keychain.js';
import { keychainSecretLocation, moveSecret } from '../secret-move.js';

const [command = '', argsJson = '{}'] = process.argv.slice(2);
const args = JSON.parse(argsJson);

function fileLocation(path) {
  return {
    label: 'the file',
    read: () =>
      readFile(path, 'utf8').catch((error) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      }),
    write: (secret) => writeFileAtomic(path, secret, { mode: 0o600 }),
    remove: () => rm(path, { force: true }),
  };
}

async function timed(name, run) {
  const started = performance.now();
  const result = await run();
  return { name, result, ms: performance.now() - started };
}

async function reportNoService() {
  const keychain = createKeychain({ log: createLogger({ level: 'debug' }) });
  const calls = [
    await timed('set', () => keychain.setSecret(args.account, args.secret)),
    await timed('get', () => keychain.getSecret(args.account)),
    await timed('delete', () => keychain.deleteSecret(args.account)),
    await timed('find', () => keychain.findAccounts()),
    await timed('health', () => checkKeychainHealth(keychain)),
  ];
  process.stdout.write(`${JSON.stringify(calls)}\n`);
}

async function move() {
  const inKeychain = keychainSecretLocation(createKeychain(), args.account);
  const inFile = fileLocation(args.file);
  const [source, destination] =
    args.direction === 'to-file' ? [inKeychain, inFile] : [inFile, inKeychain];

  const result = await moveSecret(
    { subject: args.account, source, destination },
    {
      dataDir: args.dataDir,
      onStep: (step) => {
        if (step !== args.stopAt) return undefined;
        process.stdout.write(`stopped ${step}\n`);
        // Stay alive, mid-move, until killed.
        setInterval(() => undefined, 60_000);
        return new Promise(() => undefined);
      },
    },
  );
  process.stdout.write(`done ${JSON.stringify(result)}\n`);
}

if (command === 'health') {
  const health = await checkKeychainHealth(createKeychain());
  process.stdout.write(`${JSON.stringify(health)}\n`);
} else if (command === 'no-service') {
  await reportNoService();
} else if (command === 'move') {
  await move();
} else {
  throw new Error(`unknown command ${command}`);
}
