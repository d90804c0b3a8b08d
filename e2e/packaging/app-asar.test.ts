import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { extractFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isShippableOwnFile,
  listArchiveFiles,
  packageFolderOf,
  type ArchiveFile,
} from './asar-contents.js';

/**
 * Packs the built app with the real electron-builder configuration, using a
 * stand-in Electron folder because this machine cannot download Electron, and
 * checks what went into app.asar and app.asar.unpacked.
 */

const repoRoot = resolve(import.meta.dirname, '../..');
const electronVersion = '45.6.0';
const run = promisify(execFile);

interface PackageManifest {
  main?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface LockfileEntry {
  name?: string;
  version?: string;
  dev?: boolean;
}

let workDir: string;
let resourcesDir: string;
let files: ArchiveFile[];
let builderOutput: string;

beforeAll(async () => {
  expectBuilt();
  workDir = await mkdtemp(join(tmpdir(), 'packaging-'));
  const standIn = await createStandInElectron(join(workDir, 'electron-dist'));
  const outDir = join(workDir, 'release');
  builderOutput = await runElectronBuilder(standIn, outDir);
  resourcesDir = join(outDir, 'linux-unpacked', 'resources');
  files = listArchiveFiles(join(resourcesDir, 'app.asar'));
  printContents();
}, 240_000);

afterAll(async () => {
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

function expectBuilt(): void {
  for (const built of [
    'electron/main.js',
    'electron/preload.cjs',
    'renderer/index.html',
  ]) {
    if (!existsSync(join(repoRoot, 'dist', built))) {
      throw new Error(
        `dist/${built} is missing: run \`npm run build\` before this check.`,
      );
    }
  }
}

/** An `electron` script and a `version` file: all electron-builder needs to pack. */
async function createStandInElectron(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const script = join(dir, 'electron');
  await writeFile(
    script,
    '#!/bin/sh\necho "stand-in for Electron; it cannot run"\nexit 1\n',
  );
  await chmod(script, 0o755);
  await writeFile(join(dir, 'version'), electronVersion);

  return dir;
}

async function runElectronBuilder(electronDist: string, outDir: string): Promise<string> {
  const cli = join(repoRoot, 'node_modules', 'electron-builder', 'cli.js');
  const args = [
    cli,
    '--dir',
    '--linux',
    '--config',
    'electron-builder.yml',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${outDir}`,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  if (existsSync('/usr/bin/7zz')) env.ELECTRON_BUILDER_7ZIP_PATH = '/usr/bin/7zz';

  const { stdout, stderr } = await run(process.execPath, args, {
    cwd: repoRoot,
    env,
    timeout: 200_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function ownFiles(): ArchiveFile[] {
  return files.filter((file) => packageFolderOf(file.path) === undefined);
}

interface PackagedPackage {
  folder: string;
  /** `name@version` from the package.json packed in that folder. */
  id: string;
}

/**
 * The packages in app.asar as packed. electron-builder lays node_modules out
 * anew from the production tree, so a package may sit at another place than in
 * the development tree; it is identified by name and version, not by place.
 */
function packagedPackages(): PackagedPackage[] {
  const folders = new Set(
    files
      .map((file) => packageFolderOf(file.path))
      .filter((folder) => folder !== undefined),
  );

  return [...folders].map((folder) => {
    const manifest = JSON.parse(
      extractFile(join(resourcesDir, 'app.asar'), `${folder}/package.json`).toString(
        'utf8',
      ),
    ) as { name: string; version: string };
    return { folder, id: `${manifest.name}@${manifest.version}` };
  });
}

/** `name@version` of every package the lockfile installs for production (not dev-only). */
function productionPackages(): Set<string> {
  const lock = readJson<{ packages: Record<string, LockfileEntry> }>(
    join(repoRoot, 'package-lock.json'),
  );
  const ids = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.dev !== true)
    .map(
      ([path, entry]) =>
        `${entry.name ?? path.replace(/^.*node_modules\//, '')}@${entry.version}`,
    );

  return new Set(ids);
}

/** What went in, for the reader of the test log. */
function printContents(): void {
  const own = files.filter((file) => packageFolderOf(file.path) === undefined);
  const packages = packagedPackages().map(({ id }) => id);
  const unpacked = files.filter((file) => file.unpacked).map((file) => file.path);

  console.log(
    [
      `app.asar: ${files.length} files`,
      `the app's own files (${own.length}):`,
      ...own.map((file) => `  ${file.path} (${file.size} B)`),
      `production packages (${packages.length}): ${packages.sort().join(', ')}`,
      `in app.asar.unpacked: ${unpacked.join(', ')}`,
    ].join('\n'),
  );
}

describe('app.asar built from electron-builder.yml', () => {
  it('packs with the stand-in Electron and says the fuses were not flipped', () => {
    expect(builderOutput).toContain('Electron fuses not flipped');
    expect(builderOutput).toMatch(/is a stand-in script/);
  });

  it('holds the built main process, preload and renderer', () => {
    const paths = new Set(ownFiles().map((file) => file.path));
    const html = extractFile(join(resourcesDir, 'app.asar'), 'dist/renderer/index.html');
    const referenced = [
      ...html.toString('utf8').matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g),
    ];

    for (const path of [
      'package.json',
      'dist/electron/main.js',
      'dist/electron/preload.cjs',
      'dist/electron/browser/start.js',
      'dist/shared/contract.js',
      'dist/renderer/index.html',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(referenced.length).toBeGreaterThan(0);
    for (const [, asset] of referenced) {
      expect(paths, asset).toContain(`dist/renderer/${asset}`);
    }
  });

  it('starts from the main file package.json names', () => {
    const manifest = JSON.parse(
      extractFile(join(resourcesDir, 'app.asar'), 'package.json').toString('utf8'),
    ) as PackageManifest;

    expect(manifest.main).toBe('dist/electron/main.js');
  });

  it('holds nothing else of the app: no sources, tests, source maps, e2e or bench files', () => {
    const unexpected = ownFiles()
      .map((file) => file.path)
      .filter((path) => !isShippableOwnFile(path));

    expect(unexpected).toEqual([]);
  });

  it('holds production dependencies only', () => {
    const production = productionPackages();
    const manifest = readJson<PackageManifest>(join(repoRoot, 'package.json'));
    const packaged = packagedPackages();
    const names = new Set(packaged.map(({ id }) => id.replace(/@[^@]*$/, '')));

    expect(packaged.filter(({ id }) => !production.has(id))).toEqual([]);
    for (const name of Object.keys(manifest.devDependencies ?? {})) {
      expect(names, name).not.toContain(name);
    }
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      expect(names, name).toContain(name);
    }
  });

  it('keeps no TypeScript or source maps from dependencies either', () => {
    const leftovers = files.filter((file) => /\.(?:map|[cm]?tsx?)$/.test(file.path));

    expect(leftovers.map((file) => file.path)).toEqual([]);
  });

  it('unpacks the keychain module with its native library, and only that', () => {
    const native = files.filter((file) => file.path.endsWith('.node'));
    const keytarBinary = 'node_modules/keytar/build/Release/keytar.node';
    const unpackedFolders = new Set(
      files.filter((file) => file.unpacked).map((file) => packageFolderOf(file.path)),
    );

    expect(native.map((file) => file.path)).toEqual([keytarBinary]);
    expect(native[0]?.unpacked).toBe(true);
    expect(unpackedFolders).toEqual(new Set(['node_modules/keytar']));
    const onDisk = join(resourcesDir, 'app.asar.unpacked', keytarBinary);
    expect(statSync(onDisk).size).toBe(native[0]?.size);
  });
});
