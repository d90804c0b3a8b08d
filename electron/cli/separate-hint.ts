import {
  joinedProfileNames,
  profileHiding,
  separateFirst,
} from '../core/profiles-file/joined-profiles.js';
import type { ProfilesDocument } from '../core/profiles-file/codec.js';
import { readProfilesFile } from '../core/profiles-file/read-profiles-file.js';
import type { CommandOutput } from './list-command.js';

/**
 * A refusal because profiles run into one another, with the command that
 * separates them added where it says to separate them first. Other outputs
 * are returned as they are.
 */
export async function withSeparateCommand(
  path: string,
  names: readonly string[],
  output: CommandOutput,
): Promise<CommandOutput> {
  if (!output.stderr.includes(separateFirst)) {
    return output;
  }
  const { document } = await readProfilesFile(path);
  const owner = document === null ? null : joinedOwner(document, names);
  if (owner === null) {
    return output;
  }
  const command = `separate ${shellWord(owner)}`;
  return {
    ...output,
    stderr: output.stderr.replace(separateFirst, `${separateFirst} (${command})`),
  };
}

/** The profile that other profiles run into: one of `names`, or the one hiding it. */
function joinedOwner(
  document: ProfilesDocument,
  names: readonly string[],
): string | null {
  for (const name of names) {
    const indexes = document.segments.flatMap(({ reading }, index) =>
      reading.kind === 'profile' && reading.name === name ? [index] : [],
    );
    if (joinedProfileNames(document, indexes).length > 0) {
      return name;
    }
    const owner = profileHiding(document, name);
    if (owner !== null) {
      return owner;
    }
  }
  return null;
}

/** A name as typed in a shell: quoted when it holds anything but plain characters. */
function shellWord(name: string): string {
  return /^[\w.@%+=:,/-]+$/.test(name) ? name : `'${name.replaceAll("'", `'\\''`)}'`;
}
