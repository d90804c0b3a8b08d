import { viewDocument } from '../profiles-file/codec.js';
import { readProfilesFile } from '../profiles-file/read-profiles-file.js';

/** A profile's fields as the file holds them now; empty values mean "not set". */
export type ProfileValues = ReadonlyMap<string, string>;

/**
 * Reads one profile's fields fresh from the file; null when there is no such
 * profile. Throws with a plain message when the file cannot be read.
 */
export async function readProfileValues(
  path: string,
  profile: string,
): Promise<ProfileValues | null> {
  const reading = await readProfilesFile(path);
  if (reading.state.status === 'missing') {
    return null;
  }
  if (reading.document === null) {
    throw new Error(`the profiles file cannot be read (${reading.state.cause})`);
  }

  const record = viewDocument(reading.document).profiles.find(
    (each) => each.name === profile,
  );

  return record?.values ?? null;
}

/** A field's value, or null when it is missing or empty. */
export function fieldOf(values: ProfileValues, key: string): string | null {
  const value = values.get(key);

  return value === undefined || value === '' ? null : value;
}
