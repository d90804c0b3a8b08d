import { describe, expect, it } from 'vitest';
import { parseProfilesFile, viewDocument } from '../profiles-file/codec.js';
import { describeFileChanges, type FileView } from './change-descriptions.js';

// 14:02 local time, whatever the machine's time zone.
const at = new Date(2026, 0, 15, 14, 2, 30).getTime();

const file = (text: string): FileView => ({
  status: 'ok',
  view: viewDocument(parseProfilesFile(text)),
});

const profile = (name: string, values: Record<string, string>) =>
  [`[profile=${name}]`, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join(
    '\n',
  );

const messages = (before: FileView, after: FileView) =>
  describeFileChanges(before, after, at).map(({ profile: name, message }) => [
    name,
    message,
  ]);

describe('describing what another program changed', () => {
  it('names a renewed token with the time it was noticed, and nothing it brought along', () => {
    const before = file(
      profile('default', { TOKEN: 'a', TOKEN_EXPIRES: '1.0', REFRESH_TOKEN: 'r' }),
    );
    const after = file(
      profile('default', { TOKEN: 'b', TOKEN_EXPIRES: '2.0', REFRESH_TOKEN: 's' }),
    );

    expect(describeFileChanges(before, after, at)).toEqual([
      {
        profile: 'default',
        message: 'default: token renewed by another program at 14:02',
        at,
      },
    ]);
  });

  it('names a removed token', () => {
    expect(
      messages(file(profile('p', { TOKEN: 'a' })), file(profile('p', { TOKEN: '' }))),
    ).toEqual([['p', 'p: token removed by another program']]);
  });

  it('names other fields that changed', () => {
    const before = file(
      profile('staging', { AGENT_ID: '1', BASE_URL: 'https://a', THEME: 'x' }),
    );
    const after = file(profile('staging', { AGENT_ID: '2', BASE_URL: 'https://b' }));

    expect(messages(before, after)).toEqual([
      ['staging', 'staging: AGENT_ID, BASE_URL and THEME changed by another program'],
    ]);
  });

  it('names profiles added, removed and renamed', () => {
    const before = file(
      [
        profile('test', { TOKEN: 't' }),
        profile('old', { TOKEN: 'o', AGENT_ID: '5' }),
      ].join('\n\n'),
    );
    const after = file(
      [
        profile('x', { TOKEN: 'n' }),
        profile('new name', { TOKEN: 'o', AGENT_ID: '5' }),
      ].join('\n\n'),
    );

    expect(messages(before, after)).toEqual([
      ['test', "Profile 'test' was removed by another program"],
      ['new name', "Profile 'old' was renamed to 'new name' by another program"],
      ['x', "Profile 'x' was added by another program"],
    ]);
  });

  it('names the file appearing, going and becoming unreadable', () => {
    const missing: FileView = { status: 'missing' };
    const unreadable: FileView = { status: 'unreadable' };
    const some = file(profile('a', { TOKEN: 't' }));

    expect(messages(missing, some)).toEqual([
      [null, 'The profiles file was created by another program'],
      ['a', "Profile 'a' was added by another program"],
    ]);
    expect(messages(some, missing)).toEqual([
      [null, 'The profiles file was removed by another program'],
    ]);
    expect(messages(some, unreadable)[0]?.[1]).toContain('can no longer be read');
    expect(messages(missing, missing)).toEqual([]);
  });

  it('names blocks Doover’s tools do not read without showing their values', () => {
    const before = file(profile('a', { TOKEN: 't' }));
    const after = file(
      `${profile('a', { TOKEN: 't' })}\n\n[profile=old]\nUSERNAME=me\nPASSWORD=hunter2`,
    );

    const described = messages(before, after);
    expect(described).toEqual([[null, expect.stringContaining('[profile=old]')]]);
    expect(JSON.stringify(described)).not.toContain('hunter2');
    expect(messages(after, before)[0]?.[1]).toContain('was removed by another program');
  });

  it('says nothing when nothing pydoover sees has changed', () => {
    const text = profile('a', { TOKEN: 't' });
    expect(messages(file(text), file(`${text}\n\n\n`))).toEqual([]);
  });
});
