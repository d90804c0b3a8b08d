import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Whether this is the first time the window was closed while the app kept
 * running in the tray, ever, for this data folder. The first call creates a
 * marker file and answers true; every later call (also in later runs) false.
 * When the marker cannot be written the answer is false: better to say
 * nothing than to say it at every close.
 */
export async function claimFirstCloseNotice(markerPath: string): Promise<boolean> {
  try {
    await mkdir(dirname(markerPath), { recursive: true });
    await writeFile(markerPath, '', { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}
