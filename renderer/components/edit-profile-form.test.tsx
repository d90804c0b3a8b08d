import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { localInputToSeconds } from '../profile-form';
import { renderApp } from '../testing/render-app';
import {
  makeProfile,
  makeSnapshot,
  TEST_NOW_MS,
  TEST_NOW_S,
} from '../testing/sample-snapshot';

async function openEditForm(profile = makeProfile()) {
  const rendered = await renderApp(makeSnapshot([profile]));
  await rendered.user.click(screen.getByRole('button', { name: 'Edit' }));

  return {
    ...rendered,
    form: screen.getByRole('form', { name: `Edit the fields of '${profile.name}'` }),
  };
}

function input(form: HTMLElement, label: RegExp): HTMLInputElement {
  return within(form).getByLabelText<HTMLInputElement>(label);
}

describe('editing a profile', () => {
  it('shows every field, the expiry as a local date and time, secrets never', async () => {
    const expires = new Date(2026, 0, 3, 14, 50, 7).getTime() / 1000;
    const { form } = await openEditForm(makeProfile({ tokenExpires: expires }));

    expect(input(form, /^Control API/).value).toBe('https://api.doover.com');
    expect(input(form, /^Client ID/).value).toBe('08a9ae8c-0668-428b-a691-f7eaa526aca0');
    expect(input(form, /^Token expires/).type).toBe('datetime-local');
    // Browsers and jsdom write the same time in different forms.
    expect(localInputToSeconds(input(form, /^Token expires/).value)).toBe(expires);
    expect(input(form, /^New token/).type).toBe('password');
    expect(input(form, /^New token/).value).toBe('');
    expect(document.activeElement).toBe(input(form, /^New token/));
  });

  it('saves only the fields the user changed', async () => {
    const { user, form, backend } = await openEditForm();
    await user.clear(input(form, /^Control API/));
    await user.type(input(form, /^Control API/), 'https://api.example.com');
    await user.type(input(form, /^Agent ID/), 'agent-7');

    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(backend.requestsOf('updateProfile')).toEqual([
      {
        name: 'default',
        fields: { BASE_URL: 'https://api.example.com', AGENT_ID: 'agent-7' },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('form')).toBeNull());
    expect(screen.getByRole('log').textContent).toMatch(
      /Changed .*BASE_URL.* of profile 'default'/,
    );
  });

  it('does not write back a token another program renewed while the form was open', async () => {
    const { user, form, backend } = await openEditForm();
    act(() =>
      backend.push(
        makeSnapshot(
          [
            makeProfile({
              maskedToken: 'eyJn…NEW1',
              tokenExpires: TEST_NOW_S + 7200,
              expiresAt: TEST_NOW_S + 7200,
            }),
          ],
          { readAt: TEST_NOW_MS + 1 },
        ),
      ),
    );
    await user.clear(input(form, /^Data API/));
    await user.type(input(form, /^Data API/), 'https://data.example.com/api');

    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(backend.requestsOf('updateProfile')[0]?.fields).toEqual({
      BASE_DATA_URL: 'https://data.example.com/api',
    });
  });

  it('refuses an address that is not http(s), next to the field', async () => {
    const { user, form, backend } = await openEditForm();
    const controlApi = input(form, /^Control API/);
    await user.clear(controlApi);
    await user.type(controlApi, 'ftp://api.example.com');

    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(controlApi.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(controlApi);
    expect(within(form).getByText(/must start with https:\/\//)).toBeTruthy();
    expect(backend.requestsOf('updateProfile')).toEqual([]);
  });

  it('stores a new expiry in seconds and an emptied one as unset', async () => {
    const { user, form, backend } = await openEditForm();
    fireEvent.change(input(form, /^Token expires/), {
      target: { value: '2026-02-01T09:30' },
    });
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(backend.requestsOf('updateProfile')[0]?.fields).toEqual({
      TOKEN_EXPIRES: new Date(2026, 1, 1, 9, 30).getTime() / 1000,
    });

    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const again = screen.getByRole('form');
    fireEvent.change(input(again, /^Token expires/), { target: { value: '' } });
    await user.click(within(again).getByRole('button', { name: 'Save changes' }));

    expect(backend.requestsOf('updateProfile')[1]?.fields).toEqual({
      TOKEN_EXPIRES: null,
    });
  });

  it('replaces or removes a secret only when asked', async () => {
    const { user, form, backend } = await openEditForm();
    await user.type(input(form, /^New token/), 'pasted-new-token');
    await user.click(
      within(form).getByRole('checkbox', { name: 'Remove the refresh token' }),
    );

    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(backend.requestsOf('updateProfile')[0]?.fields).toEqual({
      TOKEN: 'pasted-new-token',
      REFRESH_TOKEN: '',
    });
    expect(document.body.innerHTML).not.toContain('pasted-new-token');
  });

  it('leaves without writing when nothing changed, and gives focus back to Edit', async () => {
    const { user, form, backend } = await openEditForm();

    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(backend.requestsOf('updateProfile')).toEqual([]);
    expect(screen.queryByRole('form')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit' }));
  });
});
