import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot } from '../testing/sample-snapshot';

const two = makeSnapshot([
  makeProfile({ name: 'default' }),
  makeProfile({ name: 'lab' }),
]);

function listedNames(): string[] {
  return screen
    .getAllByRole('option')
    .map((option) => option.querySelector('.row-name')?.textContent ?? '');
}

/** Deletes 'lab' through the UI, so the history holds the version that had it. */
async function deleteLab(user: Awaited<ReturnType<typeof renderApp>>['user']) {
  await user.click(screen.getByText('lab'));
  await user.click(screen.getByRole('button', { name: 'Delete…' }));
  await user.click(screen.getByRole('button', { name: 'Delete profile' }));
  await waitFor(() => expect(listedNames()).toEqual(['default']));
}

describe('history', () => {
  it('says so when the app has not replaced the file yet', async () => {
    const { user } = await renderApp(two);

    await user.click(screen.getByRole('button', { name: 'History' }));

    expect(
      screen.getByRole('button', { name: 'History' }).getAttribute('aria-current'),
    ).toBe('page');
    expect(await screen.findByText(/has not replaced the file yet/)).toBeTruthy();
    expect(screen.queryByRole('searchbox')).toBeNull();
  });

  it('lists the replaced versions with the change that replaced them', async () => {
    const { user } = await renderApp(two);
    await deleteLab(user);

    await user.click(screen.getByRole('button', { name: 'History' }));

    const table = await screen.findByRole('table');
    const [, row] = within(table).getAllByRole('row');
    expect(row?.textContent).toContain("Deleted profile 'lab'");
    expect(row?.textContent).toContain('default, lab');
  });

  it('restores a version after confirmation, and lists the version it replaced', async () => {
    const { user, backend } = await renderApp(two);
    await deleteLab(user);
    await user.click(screen.getByRole('button', { name: 'History' }));

    await user.click(
      await screen.findByRole('button', { name: /^Restore… the version from/ }),
    );
    const question = screen.getByRole('alertdialog', { name: 'Restore this version?' });
    expect(question.textContent).toContain("before “Deleted profile 'lab'”");
    expect(question.textContent).toContain('It then holds: default, lab.');
    await user.click(within(question).getByRole('button', { name: 'Restore' }));

    expect(backend.requestsOf('restoreHistory')).toHaveLength(1);
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(3));
    expect(screen.getByRole('log').textContent).toContain(
      'Restored the file as it was on',
    );

    await user.click(screen.getByRole('button', { name: 'Profiles' }));
    expect(listedNames()).toEqual(['default', 'lab']);
  });

  it('says why a version could not be restored', async () => {
    const { user, backend } = await renderApp(two);
    await deleteLab(user);
    backend.answer('restoreHistory', () => ({
      ok: false,
      error: { code: 'not-found', message: 'That version is no longer kept.' },
    }));
    await user.click(screen.getByRole('button', { name: 'History' }));
    await user.click(await screen.findByRole('button', { name: /^Restore…/ }));
    await user.click(screen.getByRole('button', { name: 'Restore' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'That version is no longer kept.',
    );
  });
});
