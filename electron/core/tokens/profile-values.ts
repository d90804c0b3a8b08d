import { viewDocument } from '../profiles-file/codec.js';
import { readProfilesFile } from '../profiles-file/read-profiles-file.js';

/** A profile's fields as the file holds them now; empty values mean "not set". */
export type ProfileValues = ReadonlyMap<string, string>;

/** Every profile's fields by name, as pydoover reads them (a name's last block wins). */
type AllProfileValues = ReadonlyMap<string, ProfileValues>;

/**
 * Reads one profile's fields fresh from the file; null when there is no such
 * profile. Throws with a plain message when the file cannot be read.
 */
export async function readProfileValues(
  path: string,
  profile: string,
): Promise<ProfileValues | null> {
  return (await readAllProfileValues(path)).get(profile) ?? null;
}

async function readAllProfileValues(path: string): Promise<AllProfileValues> {
  const reading = await readProfilesFile(path);
  if (reading.state.status === 'missing') {
    return new Map();
  }
  if (reading.document === null) {
    throw new Error(`the profiles file cannot be read (${reading.state.cause})`);
  }

  const all = new Map<string, ProfileValues>();
  for (const record of viewDocument(reading.document).profiles) {
    all.set(record.name, record.values);
  }
  return all;
}

/**
 * Taken when this module loads, so that tests faking timers do not stall
 * the file reads of the code under test.
 */
const nextTurn = globalThis.setImmediate;

/**
 * Fresh reads of the profiles file, shared by every caller that asks before
 * the read begins: a burst of renewals, each under its own profile's lock,
 * reads and parses the file once instead of once each. A read already under
 * way is never joined, so every caller sees the file as it was after it asked
 * (and so after it took its lock).
 */
export class SharedProfileReads {
  readonly #path: string;
  #next: Promise<AllProfileValues> | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  /** One profile's fields as the file holds them now; null when there is no such profile. */
  async values(profile: string): Promise<ProfileValues | null> {
    return (await this.#read()).get(profile) ?? null;
  }

  #read(): Promise<AllProfileValues> {
    // Waits for the I/O callbacks of this loop turn: locks taken together read together.
    this.#next ??= new Promise<void>((resolve) => nextTurn(resolve)).then(() => {
      this.#next = null;
      return readAllProfileValues(this.#path);
    });

    return this.#next;
  }
}

/** A field's value, or null when it is missing or empty. */
export function fieldOf(values: ProfileValues, key: string): string | null {
  const value = values.get(key);

  return value === undefined || value === '' ? null : value;
}
