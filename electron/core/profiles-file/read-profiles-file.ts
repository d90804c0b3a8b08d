import { readFile } from 'node:fs/promises';
import type { ConfigFileState } from '../../../shared/profile-types.js';
import { parseProfilesFile, type ProfilesDocument } from './codec.js';
import { decodeUtf8AsPython } from './python-text.js';

export type FileReading =
  | { state: { status: 'ok' }; text: string; document: ProfilesDocument }
  | { state: Exclude<ConfigFileState, { status: 'ok' }>; text: null; document: null };

// A profiles file holds a handful of short blocks; anything this large is not one.
const largestReadableFile = 64 * 1024 * 1024;

/**
 * Reads the profiles file as UTF-8 (a byte-order mark is kept, as Python keeps
 * it). Never throws: a missing file and every reason it cannot be read come
 * back as a state with plain words for the user.
 */
export async function readProfilesFile(path: string): Promise<FileReading> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return failedReading(path, error);
  }
  if (bytes.length > largestReadableFile) {
    return unreadable(
      `It is ${Math.round(bytes.length / 1024 / 1024)} MB, far larger than a profiles file can be.`,
      `Move it aside (for example to ${path}.large) and sign in again.`,
    );
  }

  const text = decodeUtf8AsPython(bytes);
  if (text === null) {
    return unreadable(
      'It contains bytes that are not UTF-8 text, so Doover’s tools cannot read it either.',
      'Restore an earlier version (the app’s History view keeps them), open it in a text editor and save it as ' +
        'UTF-8, or move it aside and sign in again.',
    );
  }
  return { state: { status: 'ok' }, text, document: parseProfilesFile(text) };
}

function failedReading(path: string, error: unknown): FileReading {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { state: { status: 'missing' }, text: null, document: null };
    case 'EACCES':
    case 'EPERM':
      return unreadable(
        'You do not have permission to read it.',
        `Give your user account read and write access to it (for example: chmod 600 "${path}").`,
      );
    case 'EISDIR':
      return unreadable(
        'It is a folder, not a file.',
        'Move the folder away so the file can be created.',
      );
    case 'ENOTDIR':
      return unreadable(
        'The .doover in your home folder is a file, not a folder.',
        'Rename that file so a .doover folder can hold the profiles.',
      );
    default:
      return code === 'ELOOP'
        ? unreadable(
            'Its path is a chain of links that leads back to itself.',
            'Point the link at a real file, or replace it with the file itself.',
          )
        : unreadable(
            `The system could not read it (${code ?? 'unknown error'}).`,
            'Check that the disk is available and try again.',
          );
  }
}

function unreadable(cause: string, remedy: string): FileReading {
  return { state: { status: 'unreadable', cause, remedy }, text: null, document: null };
}
