import type { FileChange } from '../../../shared/profile-types.js';
import type { DocumentView, ProfileRecord } from '../profiles-file/codec.js';
import { listInWords } from '../profiles-file/patch.js';
import { describePreservedBlock } from '../profiles-file/summarize.js';

/** The file as the app saw it at one reading. */
export type FileView =
  { status: 'ok'; view: DocumentView } | { status: 'missing' } | { status: 'unreadable' };

// A new token brings these along; naming them too would only repeat "renewed".
const renewalKeys = new Set([
  'TOKEN',
  'TOKEN_EXPIRES',
  'REFRESH_TOKEN',
  'REFRESH_TOKEN_ID',
]);

const fileMessages = {
  removed: 'The profiles file was removed by another program',
  unreadable:
    'The profiles file was changed by another program and can no longer be read',
  created: 'The profiles file was created by another program',
  readable: 'The profiles file can be read again',
};

/**
 * What another program changed between two readings of the file, in words a
 * user can act on: "default: token renewed by another program at 14:02",
 * "Profile 'test' was removed by another program". Profile values are
 * compared, never shown.
 */
export function describeFileChanges(
  before: FileView,
  after: FileView,
  at: number,
): FileChange[] {
  const change = (profile: string | null, message: string): FileChange => ({
    profile,
    message,
    at,
  });
  if (after.status !== 'ok') {
    const message =
      after.status === 'missing' ? fileMessages.removed : fileMessages.unreadable;
    return before.status === after.status ? [] : [change(null, message)];
  }

  const changes: FileChange[] = [];
  if (before.status !== 'ok') {
    changes.push(
      change(
        null,
        before.status === 'missing' ? fileMessages.created : fileMessages.readable,
      ),
    );
  }
  const earlier = before.status === 'ok' ? before.view : { profiles: [], preserved: [] };
  const previous = new Map(earlier.profiles.map((record) => [record.name, record]));
  const current = new Map(after.view.profiles.map((record) => [record.name, record]));
  for (const [profile, message] of profileChanges(previous, current, at)) {
    changes.push(change(profile, message));
  }
  for (const message of blockChanges(earlier, after.view)) {
    changes.push(change(null, message));
  }
  return changes;
}

type Described = [profile: string | null, message: string];

function profileChanges(
  previous: Map<string, ProfileRecord>,
  current: Map<string, ProfileRecord>,
  at: number,
): Described[] {
  const removed = [...previous.keys()].filter((name) => !current.has(name));
  const added = [...current.keys()].filter((name) => !previous.has(name));
  const described: Described[] = [];

  for (const name of removed) {
    // Same values under a new name: that is a rename.
    const renamedTo = added.find((other) =>
      sameValues(previous.get(name), current.get(other)),
    );
    if (renamedTo !== undefined) {
      added.splice(added.indexOf(renamedTo), 1);
      described.push([
        renamedTo,
        `Profile '${name}' was renamed to '${renamedTo}' by another program`,
      ]);
    } else {
      described.push([name, `Profile '${name}' was removed by another program`]);
    }
  }
  for (const name of added) {
    described.push([name, `Profile '${name}' was added by another program`]);
  }
  for (const [name, record] of current) {
    const earlier = previous.get(name);
    if (earlier !== undefined) {
      described.push(
        ...fieldChanges(earlier, record, at).map((message): Described => [name, message]),
      );
    }
  }
  return described;
}

function fieldChanges(before: ProfileRecord, after: ProfileRecord, at: number): string[] {
  const keys = new Set([...before.values.keys(), ...after.values.keys()]);
  const changed = [...keys].filter(
    (key) => (before.values.get(key) ?? '') !== (after.values.get(key) ?? ''),
  );
  const messages: string[] = [];
  let others = changed;
  if (changed.includes('TOKEN')) {
    const token = after.values.get('TOKEN') ?? '';
    messages.push(
      token === ''
        ? `${after.name}: token removed by another program`
        : `${after.name}: token renewed by another program at ${clockTime(at)}`,
    );
    others = changed.filter((key) => !renewalKeys.has(key));
  }
  if (others.length > 0) {
    messages.push(`${after.name}: ${listInWords(others)} changed by another program`);
  }
  return messages;
}

function sameValues(a: ProfileRecord | undefined, b: ProfileRecord | undefined): boolean {
  if (a === undefined || b === undefined || a.values.size !== b.values.size) {
    return false;
  }
  return [...a.values].every(([key, value]) => b.values.get(key) === value);
}

/** Blocks pydoover does not read that appeared or went, counted by their exact text. */
function blockChanges(before: DocumentView, after: DocumentView): string[] {
  const remaining = new Map<string, number>();
  for (const block of before.preserved) {
    remaining.set(block.text, (remaining.get(block.text) ?? 0) + 1);
  }
  const messages: string[] = [];
  for (const block of after.preserved) {
    const count = remaining.get(block.text) ?? 0;
    if (count > 0) {
      remaining.set(block.text, count - 1);
    } else {
      messages.push(
        `A block Doover’s tools do not read (“${describePreservedBlock(block).label}”) was added by another program`,
      );
    }
  }
  for (const block of before.preserved) {
    if ((remaining.get(block.text) ?? 0) > 0) {
      remaining.set(block.text, (remaining.get(block.text) ?? 0) - 1);
      messages.push(
        `A block Doover’s tools do not read (“${describePreservedBlock(block).label}”) was removed by another program`,
      );
    }
  }
  return messages;
}

/** "14:02" in the user's own time zone. */
export function clockTime(at: number): string {
  const date = new Date(at);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
