import { profileKeys } from '../../../shared/profile-types.js';
import type { ProfilesDocument } from './codec.js';
import { viewDocument } from './codec.js';
import { formatPythonFloat, readTokenExpires } from './python-float.js';

/**
 * A profile block in the exact form pydoover writes (`AuthProfile.format`):
 * the header, then the nine known keys in its order, each line ending in `\n`,
 * empty values for unset fields, TOKEN_EXPIRES as Python prints a float.
 * Values the caller passes are written verbatim.
 */
export function formatProfileBlock(
  name: string,
  values: ReadonlyMap<string, string>,
): string {
  let block = `[profile=${name}]\n`;
  for (const key of profileKeys) {
    block += `${key}=${formatValue(key, values.get(key) ?? '')}\n`;
  }
  return block;
}

function formatValue(key: string, value: string): string {
  if (key !== 'TOKEN_EXPIRES' || value === '') {
    return value;
  }
  const reading = readTokenExpires(value);
  // An unreadable expiry is written back as it was; pydoover itself would have
  // raised before writing anything.
  return reading.ok ? formatPythonFloat(reading.seconds) : value;
}

/**
 * The whole text pydoover would write after reading this document and changing
 * nothing (`ConfigManager.dump`): every profile reformatted once at its first
 * block's place, other blocks as read, all joined with one blank line.
 */
export function dumpAsPydoover(document: ProfilesDocument): string {
  const view = viewDocument(document);
  const profileAt = new Map(
    view.profiles.map((profile) => [profile.segmentIndexes[0], profile]),
  );
  const preservedAt = new Map(view.preserved.map((block) => [block.segmentIndex, block]));
  const blocks: string[] = [];

  document.segments.forEach((_segment, index) => {
    const profile = profileAt.get(index);
    const preserved = preservedAt.get(index);
    if (profile !== undefined) {
      blocks.push(formatProfileBlock(profile.name, profile.values));
    } else if (preserved !== undefined) {
      blocks.push(preserved.text);
    }
  });

  return blocks.join('\n\n');
}
