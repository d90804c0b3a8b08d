import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot } from '../testing/sample-snapshot';

const pastedToken = 'eyJhbGciOi.pasted-token-body.sig-7a7a';

async function openCreateDialog(snapshot = makeSnapshot([makeProfile()])) {
  const rendered = await renderApp(snapshot);
  await rendered.user.click(screen.getByRole('button', { name: 'New profile' }));

  return { ...rendered, dialog: screen.getByRole('dialog', { name: 'New profile' }) };
}

function errorOf(input: HTMLElement): string {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids
    .map((id) => document.getElementById(id))
    .find((element) => element?.classList.contains('form-error'));

  return error?.textContent ?? '';
}

describe('creating a profile', () => {
  it('opens a labelled modal dialog with focus in the name field', async () => {
    const { dialog } = await openCreateDialog();

    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Name'));
  });

  it('suggests "default" for Production when the file has no such profile', async () => {
    const { dialog } = await openCreateDialog(
      makeSnapshot([makeProfile({ name: 'lab' })]),
    );

    expect(within(dialog).getByLabelText<HTMLInputElement>('Name').value).toBe('default');
  });

  it('explains next to the name why it cannot be used', async () => {
    const { user, dialog, backend } = await openCreateDialog();
    const name = within(dialog).getByLabelText('Name');
    const create = within(dialog).getByRole('button', { name: 'Create profile' });

    await user.click(create);
    expect(errorOf(name)).toBe('A profile needs a name.');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(name);

    await user.type(name, ' lab');
    expect(errorOf(name)).toMatch(/cannot start or end with a space/);

    await user.clear(name);
    await user.type(name, 'lab\u2028two');
    expect(errorOf(name)).toMatch(/cannot contain a line break/);
    expect(backend.requestsOf('createProfile')).toEqual([]);
  });

  it('writes a Production profile with its addresses, client id and pasted tokens', async () => {
    const { user, dialog, backend } = await openCreateDialog();
    await user.type(within(dialog).getByLabelText('Name'), 'ops');
    await user.type(within(dialog).getByLabelText(/^Token/), pastedToken);
    await user.type(within(dialog).getByLabelText(/^Refresh token/), 'refresh-1');

    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }));

    expect(backend.requestsOf('createProfile')).toEqual([
      {
        name: 'ops',
        fields: {
          AUTH_SERVER_URL: 'https://auth.doover.com',
          BASE_URL: 'https://api.doover.com',
          BASE_DATA_URL: 'https://data.doover.com/api',
          AUTH_SERVER_CLIENT_ID: '08a9ae8c-0668-428b-a691-f7eaa526aca0',
          TOKEN: pastedToken,
          REFRESH_TOKEN: 'refresh-1',
        },
      },
    ]);
    expect(await screen.findByRole('heading', { level: 2, name: 'ops' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('log').textContent).toContain("Created profile 'ops'");
  });

  it('asks for the custom servers as http(s) addresses', async () => {
    const { user, dialog, backend } = await openCreateDialog();
    await user.type(within(dialog).getByLabelText('Name'), 'lab');
    await user.click(within(dialog).getByRole('radio', { name: /Custom/ }));
    await user.type(within(dialog).getByLabelText(/^Auth server/), 'ftp://auth.lab');
    await user.type(
      within(dialog).getByLabelText(/^Control API/),
      'http://127.0.0.1:9012',
    );

    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }));

    expect(errorOf(within(dialog).getByLabelText(/^Auth server/))).toMatch(
      /must start with https:\/\//,
    );
    expect(errorOf(within(dialog).getByLabelText(/^Data API/))).toMatch(
      /Enter a web address/,
    );
    expect(errorOf(within(dialog).getByLabelText(/^Control API/))).toBe('');
    expect(backend.requestsOf('createProfile')).toEqual([]);

    await user.clear(within(dialog).getByLabelText(/^Auth server/));
    await user.type(
      within(dialog).getByLabelText(/^Auth server/),
      'http://127.0.0.1:9011',
    );
    await user.type(within(dialog).getByLabelText(/^Data API/), 'http://127.0.0.1:9013');
    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.requestsOf('createProfile')[0]?.fields).toEqual({
      AUTH_SERVER_URL: 'http://127.0.0.1:9011',
      BASE_URL: 'http://127.0.0.1:9012',
      BASE_DATA_URL: 'http://127.0.0.1:9013',
    });
  });

  it('asks before replacing a profile of the same name', async () => {
    const { user, dialog, backend } = await openCreateDialog();
    const name = within(dialog).getByLabelText('Name');
    await user.type(name, 'default');
    expect(screen.getByText(/already exists: you will be asked/)).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }));
    const question = screen.getByRole('alertdialog', {
      name: "Replace profile 'default'?",
    });
    expect(document.activeElement).toBe(
      within(question).getByRole('button', { name: 'Cancel' }),
    );

    await user.click(within(question).getByRole('button', { name: 'Replace it' }));

    expect(backend.requestsOf('createProfile').map((request) => request.replace)).toEqual(
      [undefined, true],
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('keeps a pasted token out of the page markup and shows it only on request', async () => {
    const { user, dialog } = await openCreateDialog();
    const token = within(dialog).getByLabelText<HTMLInputElement>(/^Token/);
    expect(token.type).toBe('password');

    await user.type(token, pastedToken);
    expect(document.body.innerHTML).not.toContain(pastedToken);

    await user.click(within(dialog).getByRole('button', { name: 'Show token' }));
    expect(token.type).toBe('text');
    expect(token.value).toBe(pastedToken);
    expect(document.body.innerHTML).not.toContain(pastedToken);

    await user.click(within(dialog).getByRole('button', { name: 'Hide token' }));
    expect(token.type).toBe('password');
  });

  it('shows why main refused, and stays open', async () => {
    const { user, dialog, backend } = await openCreateDialog();
    backend.answer('createProfile', () => ({
      ok: false,
      error: { code: 'file-write-failed', message: 'The disk is full.' },
    }));
    await user.type(within(dialog).getByLabelText('Name'), 'ops');

    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }));

    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'The disk is full.',
    );
  });
});
