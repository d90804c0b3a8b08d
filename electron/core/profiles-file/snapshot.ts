import type { ConfigSnapshot } from '../../../shared/profile-types.js';
import { pydooverReadFailure, viewDocument, type ProfilesDocument } from './codec.js';
import { pythonRepr } from './python-text.js';
import type { FileReading } from './read-profiles-file.js';
import { describePreservedBlock, summarizeProfile } from './summarize.js';

/** Everything the renderer is told about the file at one moment. */
export function buildSnapshot(
  path: string,
  reading: FileReading,
  readAt: number,
): ConfigSnapshot {
  if (reading.document === null) {
    return {
      path,
      file: reading.state,
      profiles: [],
      preservedBlocks: [],
      pydooverError: null,
      readAt,
    };
  }
  const { document } = reading;
  const view = viewDocument(document);
  return {
    path,
    file: reading.state,
    profiles: view.profiles.map((record) => summarizeProfile(record, document)),
    preservedBlocks: view.preserved.map(describePreservedBlock),
    pydooverError: describeReadFailure(reading.document),
    readAt,
  };
}

function describeReadFailure(document: ProfilesDocument): string | null {
  const failure = pydooverReadFailure(document);
  if (failure === null) {
    return null;
  }
  return `The profile ${pythonRepr(failure.profile)} has a TOKEN_EXPIRES that cannot be read: ${failure.why}.`;
}
