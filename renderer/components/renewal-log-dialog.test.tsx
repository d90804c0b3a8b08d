import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/result';
import type { RefreshLogEntry } from '../../shared/token-types';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from '../testing/sample-snapshot';

const failedEntry: RefreshLogEntry = {
  at: TEST_NOW_MS - 60_000,
  profile: 'work',
  trigger: 'scheduled',
  result: 'failed',
  message: 'Auth server unavailable (HTTP 500).',
  durationMs: 40,
};

describe('the renewal log', () => {
  it('lists attempts newest first in a table, adds new ones while open, and closes on Escape', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]));
    backend.answer('getRefreshLog', () => ok([failedEntry]));

    const opener = screen.getByRole('button', { name: 'Renewal log' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Renewal log' });
    const table = await within(dialog).findByRole('table', {
      name: 'Renewal attempts, newest first',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Time', 'Profile', 'Started by', 'Result', 'Details']);
    const firstRow = within(table).getAllByRole('row')[1];
    expect(firstRow?.textContent).toContain('On schedule');
    expect(firstRow?.textContent).toContain('Failed');
    expect(firstRow?.textContent).toContain('Auth server unavailable (HTTP 500).');

    act(() =>
      backend.emit('onRefreshLogEntry', {
        ...failedEntry,
        at: TEST_NOW_MS,
        trigger: 'button',
        result: 'renewed',
        message: 'Renewed; the new token lasts 60 min.',
      }),
    );
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('Refresh button');
    expect(rows[0]?.textContent).toContain('Renewed');

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Renewal log' })).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('says so when no renewal has been tried yet', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]));
    backend.answer('getRefreshLog', () => ok([]));

    await user.click(screen.getByRole('button', { name: 'Renewal log' }));

    const dialog = screen.getByRole('dialog', { name: 'Renewal log' });
    expect(await within(dialog).findByText(/No renewals yet/)).toBeTruthy();
  });
});
