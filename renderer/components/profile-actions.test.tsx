import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_S } from '../testing/sample-snapshot';

const two = makeSnapshot([
  makeProfile({ name: 'default' }),
  makeProfile({ name: 'lab' }),
]);

function listedNames(): string[] {
  return screen
    .getAllByRole('option')
    .map((option) => option.querySelector('.row-name')?.textContent ?? '');
}

describe('dialogs', () => {
  it('close on Escape and give focus back to the button that opened them', async () => {
    const { user } = await renderApp(two);
    const rename = screen.getByRole('button', { name: 'Rename…' });

    await user.click(rename);
    const dialog = screen.getByRole('dialog', { name: "Rename profile 'default'" });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByRole('listbox').closest('[inert]')).not.toBeNull();

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(rename);
    expect(document.querySelector('[inert]')).toBeNull();
  });

  it('keep Tab and Shift+Tab inside', async () => {
    const { user } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = screen.getByRole('alertdialog');
    const [cancel, confirm] = within(dialog).getAllByRole('button');
    expect(document.activeElement).toBe(cancel);

    await user.tab();
    expect(document.activeElement).toBe(confirm);
    await user.tab();
    expect(document.activeElement).toBe(cancel);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(confirm);
  });
});

describe('rename and duplicate', () => {
  it('renames the profile and shows it under its new name', async () => {
    const { user, backend } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Rename…' }));
    const name = screen.getByLabelText('New name');
    expect((name as HTMLInputElement).value).toBe('default');

    await user.clear(name);
    await user.type(name, 'production');
    await user.keyboard('{Enter}');

    expect(backend.requestsOf('renameProfile')).toEqual([
      { name: 'default', newName: 'production' },
    ]);
    expect(
      await screen.findByRole('heading', { level: 2, name: 'production' }),
    ).toBeTruthy();
    expect(listedNames()).toEqual(['production', 'lab']);
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('button', { name: 'Rename…' }),
      ),
    );
  });

  it('refuses a name with spaces around it before sending anything', async () => {
    const { user, backend } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Rename…' }));
    await user.type(screen.getByLabelText('New name'), ' ');
    await user.keyboard('{Enter}');

    expect(screen.getByText(/cannot start or end with a space/)).toBeTruthy();
    expect(backend.requestsOf('renameProfile')).toEqual([]);
  });

  it('asks before a rename replaces another profile', async () => {
    const { user, backend } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Rename…' }));
    await user.clear(screen.getByLabelText('New name'));
    await user.type(screen.getByLabelText('New name'), 'lab');
    await user.keyboard('{Enter}');
    const question = await screen.findByRole('alertdialog', {
      name: "Replace profile 'lab'?",
    });

    await user.click(within(question).getByRole('button', { name: 'Cancel' }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('dialog', { name: "Rename profile 'default'" })).toBeTruthy();
    expect(backend.requestsOf('renameProfile')).toHaveLength(1);
  });

  it('duplicates as "Copy of default" unless told otherwise', async () => {
    const { user, backend } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Duplicate…' }));
    expect((screen.getByLabelText('Name of the copy') as HTMLInputElement).value).toBe(
      'Copy of default',
    );

    await user.click(screen.getByRole('button', { name: 'Duplicate' }));

    expect(backend.requestsOf('duplicateProfile')).toEqual([
      { name: 'default', newName: 'Copy of default' },
    ]);
    expect(
      await screen.findByRole('heading', { level: 2, name: 'Copy of default' }),
    ).toBeTruthy();
    expect(listedNames()).toEqual(['default', 'lab', 'Copy of default']);
  });
});

describe('delete and undo', () => {
  it('names what goes before deleting', async () => {
    const { user } = await renderApp(
      makeSnapshot([makeProfile({ agentId: 'agent-7', ignoredKeys: ['COLOUR'] })]),
    );

    await user.click(screen.getByRole('button', { name: 'Delete…' }));

    const question = screen.getByRole('alertdialog', {
      name: "Delete profile 'default'?",
    });
    const items = within(question)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(items).toEqual([
      'its token',
      'its refresh token (signing in again is the only way to get a new one)',
      'its agent ID',
      'its server addresses (Production)',
      'the other keys of its entry: COLOUR',
    ]);
    expect(within(question).getByText('/home/ada/.doover/config')).toBeTruthy();
  });

  it('deletes after confirmation and puts the profile back on Undo', async () => {
    const { user, backend } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    await user.click(screen.getByRole('button', { name: 'Delete profile' }));

    const undo = await screen.findByRole('button', { name: "Undo deleting 'default'" });
    expect(listedNames()).toEqual(['lab']);
    expect(screen.getByRole('log').textContent).toContain("Deleted profile 'default'");
    await waitFor(() => expect(document.activeElement).toBe(undo));

    await user.click(undo);

    await waitFor(() => expect(listedNames()).toEqual(['default', 'lab']));
    expect(backend.requestsOf('undoDeleteProfile')).toEqual([
      { undoId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    expect(screen.getByRole('heading', { level: 2, name: 'default' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Undo/ })).toBeNull();
  });

  it('offers Undo for a few seconds only', async () => {
    const { user } = await renderApp(two);
    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    await user.click(screen.getByRole('button', { name: 'Delete profile' }));
    await screen.findByRole('button', { name: /^Undo/ });

    act(() => vi.advanceTimersByTime(9_000));
    expect(screen.getByRole('button', { name: /^Undo/ })).toBeTruthy();

    act(() => vi.advanceTimersByTime(2_000));
    expect(screen.queryByRole('button', { name: /^Undo/ })).toBeNull();
  });

  it('keeps the dialog open with the reason when the delete fails', async () => {
    const { user, backend } = await renderApp(two);
    backend.answer('deleteProfile', () => ({
      ok: false,
      error: { code: 'file-write-failed', message: 'The folder is read-only.' },
    }));
    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    await user.click(screen.getByRole('button', { name: 'Delete profile' }));

    const question = screen.getByRole('alertdialog');
    expect((await within(question).findByRole('alert')).textContent).toBe(
      'The folder is read-only.',
    );
    expect(listedNames()).toEqual(['default', 'lab']);
  });
});

describe('repairing an unreadable expiry', () => {
  const broken = makeProfile({
    tokenExpires: null,
    unreadableTokenExpires: '2026-01-01T00:00:00Z',
    expiresAt: TEST_NOW_S + 600,
    expirySource: 'jwt',
    problems: [{ key: 'TOKEN_EXPIRES', message: 'cannot be read' }],
  });

  it('explains why, then writes the expiry the token carries', async () => {
    const { user, backend } = await renderApp(
      makeSnapshot([broken], { pydooverError: 'TOKEN_EXPIRES cannot be read.' }),
    );
    await user.click(screen.getByRole('button', { name: 'Repair…' }));
    const question = screen.getByRole('alertdialog', {
      name: "Repair the expiry of 'default'?",
    });
    expect(question.textContent).toContain('2026-01-01T00:00:00Z');
    expect(question.textContent).toMatch(
      /every doover command fails, doover login included/,
    );
    expect(
      within(question).getByRole('radio', { name: /expiry the token carries/ }),
    ).toHaveProperty('checked', true);

    await user.click(within(question).getByRole('button', { name: 'Repair' }));

    expect(backend.requestsOf('repairExpiry')).toEqual([
      { name: 'default', repair: 'from-token' },
    ]);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Repair…' })).toBeNull();
    expect(screen.queryByText(/pydoover cannot read this file/)).toBeNull();
  });

  it('can only clear the field when the token carries no expiry', async () => {
    const { user, backend } = await renderApp(
      makeSnapshot([{ ...broken, expiresAt: null, expirySource: null }]),
    );
    await user.click(screen.getByRole('button', { name: 'Repair…' }));
    const question = screen.getByRole('alertdialog');
    expect(
      within(question).getByRole('radio', { name: /expiry the token carries/ }),
    ).toHaveProperty('disabled', true);

    await user.click(within(question).getByRole('button', { name: 'Repair' }));

    expect(backend.requestsOf('repairExpiry')).toEqual([
      { name: 'default', repair: 'clear' },
    ]);
  });
});

describe('separating profiles that run into one another', () => {
  const joinedMessage =
    "The profile 'b' has no blank line before it, so Doover's tools read it as part of this profile and do not see it.";
  const joined = makeProfile({
    name: 'a',
    joinedProfiles: ['b'],
    ignoredKeys: ['[profile'],
    problems: [{ key: null, message: joinedMessage }],
  });
  const refusal =
    "Profile 'b' starts inside profile 'a' with no blank line before it, so Doover’s tools read them as one profile. Separate them first, then rename.";

  it('explains what Doover’s tools read now and after, then separates them', async () => {
    const { user, backend } = await renderApp(makeSnapshot([joined]));
    const separated = makeSnapshot([
      makeProfile({ name: 'a' }),
      makeProfile({ name: 'b' }),
    ]);
    backend.answer('separateJoinedProfiles', () => ({
      ok: true,
      value: {
        description: "Separated profile 'b' from profile 'a'",
        snapshot: separated,
      },
    }));

    const problem = screen.getByRole('heading', { name: 'Problem' }).parentElement;
    expect(problem?.textContent).toContain(joinedMessage);
    await user.click(
      within(problem ?? document.body).getByRole('button', {
        name: 'Separate profiles…',
      }),
    );
    const question = screen.getByRole('alertdialog', {
      name: "Separate the profiles inside 'a'?",
    });
    expect(question.textContent).toContain(
      "Now Doover’s tools read them as one profile, 'a': where both set the same key, 'a' gets the later value, and 'b' is not seen at all.",
    );
    expect(question.textContent).toContain(
      "After a blank line goes in before each of 'b', and nothing else in the file changes.",
    );
    expect(question.textContent).not.toContain('already has a profile');

    await user.click(within(question).getByRole('button', { name: 'Separate profiles' }));

    expect(backend.requestsOf('separateJoinedProfiles')).toEqual([{ name: 'a' }]);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(listedNames()).toEqual(['a', 'b']);
    expect(screen.queryByRole('button', { name: 'Separate profiles…' })).toBeNull();
    expect(screen.getByText("Separated profile 'b' from profile 'a'")).toBeTruthy();
  });

  it('warns when a profile of the same name is already in the file', async () => {
    const { user } = await renderApp(
      makeSnapshot([joined, makeProfile({ name: 'b' }), makeProfile({ name: 'c' })]),
    );
    await user.click(screen.getByRole('button', { name: 'Separate profiles…' }));

    expect(screen.getByRole('alertdialog').textContent).toContain(
      "The file already has a profile named 'b'; Doover’s tools use whichever entry of that name comes last.",
    );
  });

  it('keeps the dialog open with the reason when main refuses', async () => {
    const { user, backend } = await renderApp(makeSnapshot([joined]));
    backend.answer('separateJoinedProfiles', () => ({
      ok: false,
      error: { code: 'not-found', message: "There is no profile named 'a' in the file." },
    }));
    await user.click(screen.getByRole('button', { name: 'Separate profiles…' }));
    await user.click(screen.getByRole('button', { name: 'Separate profiles' }));

    const question = screen.getByRole('alertdialog');
    expect((await within(question).findByRole('alert')).textContent).toBe(
      "There is no profile named 'a' in the file.",
    );
  });

  it('shows why a rename is refused until they are separated', async () => {
    const { user, backend } = await renderApp(makeSnapshot([joined]));
    backend.answer('renameProfile', () => ({
      ok: false,
      error: { code: 'bad-request', message: refusal },
    }));
    await user.click(screen.getByRole('button', { name: 'Rename…' }));
    await user.clear(screen.getByLabelText('New name'));
    await user.type(screen.getByLabelText('New name'), 'z');
    await user.keyboard('{Enter}');

    const dialog = screen.getByRole('dialog', { name: "Rename profile 'a'" });
    expect((await within(dialog).findByRole('alert')).textContent).toBe(refusal);
    expect(listedNames()).toEqual(['a']);
  });
});
