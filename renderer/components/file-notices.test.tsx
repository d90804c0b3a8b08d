import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from '../testing/sample-snapshot';

const legacy = {
  label: '[profile=old]',
  reason:
    'It is a Doover 1 sign-in (user name and password), which Doover 2 tools do not use.',
};
const legacyText = '[profile=old]\nUSERNAME=ops@example.test\nPASSWORD=••••••••';

describe('entries the app does not manage', () => {
  it('are shown read-only with their text, secrets masked by main', async () => {
    const { user } = await renderApp(
      makeSnapshot([makeProfile()], { preservedBlocks: [legacy] }),
      { preservedTexts: [legacyText] },
    );
    await user.click(screen.getByText(/1 entry this app does not manage/));

    await user.click(screen.getByRole('button', { name: 'View… entry [profile=old]' }));

    const dialog = screen.getByRole('dialog', {
      name: 'An entry this app does not manage',
    });
    expect((await within(dialog).findByLabelText('The entry’s text')).textContent).toBe(
      legacyText,
    );
    expect(within(dialog).queryByRole('textbox')).toBeNull();
  });

  it('can be deleted after confirmation', async () => {
    const { user, backend } = await renderApp(
      makeSnapshot([makeProfile()], { preservedBlocks: [legacy] }),
      { preservedTexts: [legacyText] },
    );
    await user.click(screen.getByText(/1 entry this app does not manage/));
    await user.click(screen.getByRole('button', { name: /^View…/ }));
    const dialog = screen.getByRole('dialog');
    await within(dialog).findByLabelText('The entry’s text');

    await user.click(within(dialog).getByRole('button', { name: 'Delete entry…' }));
    const question = screen.getByRole('alertdialog', { name: 'Delete this entry?' });
    expect(question.textContent).toContain('[profile=old]');
    await user.click(within(question).getByRole('button', { name: 'Delete entry' }));

    expect(backend.requestsOf('deletePreservedBlock')).toEqual([
      { index: 0, fingerprint: '0'.repeat(64) },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.queryByText(/does not manage/)).toBeNull();
  });
});

describe('changes by other programs', () => {
  it('are told in words in a polite log until dismissed', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]));
    const log = screen.getByRole('log', { name: 'Notifications' });
    expect(log.getAttribute('aria-live')).toBe('polite');

    act(() =>
      backend.pushFileChanges([
        {
          profile: 'default',
          message: 'default: token renewed by another program at 14:02',
          at: TEST_NOW_MS,
        },
        {
          profile: 'test',
          message: "Profile 'test' was removed by another program",
          at: TEST_NOW_MS,
        },
      ]),
    );

    expect(
      within(log)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'default: token renewed by another program at 14:02',
      "Profile 'test' was removed by another program",
    ]);

    await user.click(within(log).getByRole('button', { name: 'Dismiss these notes' }));

    expect(within(log).queryByRole('listitem')).toBeNull();
  });

  it('sum up older changes beyond the last five', async () => {
    const { backend } = await renderApp(makeSnapshot([makeProfile()]));

    act(() =>
      backend.pushFileChanges(
        Array.from({ length: 7 }, (_, index) => ({
          profile: null,
          message: `change ${index}`,
          at: TEST_NOW_MS,
        })),
      ),
    );

    const log = screen.getByRole('log');
    expect(within(log).getAllByRole('listitem')).toHaveLength(5);
    expect(within(log).getByText('and 2 earlier changes')).toBeTruthy();
  });
});
