import { getRawHeader } from '@electron/asar';

/** One file in an asar archive; `unpacked` files live in app.asar.unpacked beside it. */
export interface ArchiveFile {
  /** Relative to the archive root, with forward slashes: `dist/electron/main.js`. */
  path: string;
  size: number;
  unpacked: boolean;
}

/** The shape of an asar header entry, as far as listing needs it. */
interface HeaderEntry {
  files?: Record<string, HeaderEntry>;
  size?: number;
  unpacked?: boolean;
  link?: string;
}

/** Every file (not directory) in an archive, in header order. */
export function listArchiveFiles(archivePath: string): ArchiveFile[] {
  const { header } = getRawHeader(archivePath) as { header: HeaderEntry };
  const files: ArchiveFile[] = [];
  collectFiles(header, '', files);

  return files;
}

function collectFiles(entry: HeaderEntry, path: string, into: ArchiveFile[]): void {
  if (entry.files === undefined) {
    into.push({ path, size: entry.size ?? 0, unpacked: entry.unpacked === true });
    return;
  }

  for (const [name, child] of Object.entries(entry.files)) {
    collectFiles(child, path === '' ? name : `${path}/${name}`, into);
  }
}

/**
 * The package folder a node_modules file belongs to, as package-lock.json keys
 * it (`node_modules/a/node_modules/@b/c`), or undefined for the app's own files.
 */
export function packageFolderOf(path: string): string | undefined {
  const match =
    /^((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(
      path,
    );

  return match?.[1];
}

/**
 * What the app itself may ship: its manifest and the build output of the main
 * process, preload, shared code and renderer. Source maps, TypeScript sources,
 * tests, and anything from e2e/ or bench/ do not match.
 */
const ownFilePatterns = [
  /^package\.json$/,
  /^dist\/electron\/(?:[\w-]+\/)*[\w.-]+\.js$/,
  /^dist\/electron\/preload\.cjs$/,
  /^dist\/shared\/(?:[\w-]+\/)*[\w.-]+\.js$/,
  /^dist\/renderer\/index\.html$/,
  /^dist\/renderer\/assets\/[\w.-]+\.(?:js|css|svg|png|woff2?)$/,
];

const neverShipped =
  /\.test\.|\.spec\.|\.map$|\.tsx?$|(?:^|\/)(?:e2e|bench|test|tests|__tests__)\//;

/** Whether a file outside node_modules is one the app may ship. */
export function isShippableOwnFile(path: string): boolean {
  return (
    !neverShipped.test(path) && ownFilePatterns.some((pattern) => pattern.test(path))
  );
}
