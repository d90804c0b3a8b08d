// Starts the desktop app (what `npm start` runs after building). It finds the
// Electron runtime itself instead of loading the 'electron' package, whose
// entry point tries to download a runtime that is missing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const missingRuntimeMessage = [
  'The desktop runtime (Electron) could not be downloaded on this machine, so the',
  'desktop app cannot start here. Use `npm run start:browser` to run the same app',
  'in your browser.',
].join('\n');

/**
 * The Electron binary that node_modules/electron/path.txt names, or undefined
 * when that file or the binary is missing (the download never happened).
 * @param {string} appDir the folder holding package.json and node_modules
 * @returns {string | undefined}
 */
export function findElectronBinary(appDir) {
  const packageDir = join(appDir, 'node_modules', 'electron');
  let relativePath;
  try {
    relativePath = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return undefined;
  }

  const binary = join(packageDir, 'dist', relativePath);
  return relativePath !== '' && existsSync(binary) ? binary : undefined;
}

/**
 * Runs Electron on the app folder and exits as it does. Ctrl-C and SIGTERM are
 * passed on, so the app shuts down through its own quit handlers.
 * @param {string} binary
 * @param {string} appDir
 */
function runElectron(binary, appDir) {
  const env = { ...process.env };
  // Set, it would make the binary behave as plain Node instead of the app.
  delete env.ELECTRON_RUN_AS_NODE;

  const child = spawn(binary, [appDir], { stdio: 'inherit', env });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => {
    console.error(`The desktop runtime could not be started: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code) => process.exit(code ?? 1));
}

function main() {
  const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const binary = findElectronBinary(appDir);
  if (binary === undefined) {
    console.error(missingRuntimeMessage);
    process.exit(1);
  }
  runElectron(binary, appDir);
}

if (
  process.argv[1] !== undefined &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main();
}
