import { act, cleanup, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { fail } from '../../shared/result';
import { AppProviders } from '../app-context';
import { createAppStore } from '../store/app-store';
import { createInMemoryApi } from '../testing/in-memory-api';
import { renderApp } from '../testing/render-app';
import {
  makeProfile,
  makeSnapshot,
  TEST_NOW_MS,
  TEST_NOW_S,
} from '../testing/sample-snapshot';
import { ProfileRow } from './profile-row';

function rowOf(name: string): HTMLElement {
  const row = screen
    .getAllByRole('option')
    .find((option) => option.querySelector('.row-name')?.textContent === name);
  if (row === undefined) {
    throw new Error(`no row for ${name}`);
  }

  return row;
}

function countdownIn(element: HTMLElement): string | null {
  return element.querySelector('.countdown')?.textContent ?? null;
}

function announcement(): string {
  return screen.getByTestId('status-announcer').textContent ?? '';
}

describe('countdowns', () => {
  it('tick every second from the one shared clock', async () => {
    await renderApp(
      makeSnapshot([
        makeProfile({ name: 'default', expiresAt: TEST_NOW_S + 42 * 60 }),
        makeProfile({ name: 'staging', expiresAt: TEST_NOW_S + 90 }),
      ]),
    );
    expect(countdownIn(rowOf('default'))).toBe('42:00');
    expect(countdownIn(rowOf('staging'))).toBe('1:30');

    act(() => vi.advanceTimersByTime(1000));

    expect(countdownIn(rowOf('default'))).toBe('41:59');
    expect(countdownIn(rowOf('staging'))).toBe('1:29');
    expect(vi.getTimerCount()).toBe(1);
  });

  it('turn into "Expires soon" and then "Expired" as time passes', async () => {
    await renderApp(
      makeSnapshot([makeProfile({ name: 'default', expiresAt: TEST_NOW_S + 302 })]),
    );
    expect(rowOf('default').textContent).toContain('Valid, expires in 5 min');

    act(() => vi.advanceTimersByTime(2000));
    expect(rowOf('default').textContent).toContain('Expires soon, in 5 min');

    act(() => vi.advanceTimersByTime(300_000));
    expect(rowOf('default').textContent).toContain('Expired 0 s ago');
    expect(countdownIn(rowOf('default'))).toBeNull();
  });

  it('show "No token" and "Expiry unknown" without a countdown', async () => {
    await renderApp(
      makeSnapshot([
        makeProfile({
          name: 'empty',
          hasToken: false,
          maskedToken: null,
          expiresAt: null,
        }),
        makeProfile({
          name: 'opaque',
          expiresAt: null,
          tokenExpires: null,
          expirySource: null,
        }),
      ]),
    );

    expect(rowOf('empty').textContent).toContain('No token');
    expect(rowOf('opaque').textContent).toContain('Expiry unknown');
    expect(countdownIn(rowOf('empty'))).toBeNull();
    expect(countdownIn(rowOf('opaque'))).toBeNull();
  });
});

describe('rows and the clock', () => {
  it('re-render on a tick only where the text changes', () => {
    const store = createAppStore(TEST_NOW_MS);
    const backend = createInMemoryApi(fail('internal', 'unused'));
    const renders = { idle: 0, ticking: 0 };
    const rowProps = {
      position: 1,
      setSize: 2,
      selected: false,
      top: 0,
      onSelect: () => {},
    };
    onTestFinished(cleanup);
    render(
      <AppProviders api={backend.api} store={store}>
        <Profiler id="idle" onRender={() => (renders.idle += 1)}>
          <ProfileRow {...rowProps} id="a" profile={makeProfile({ hasToken: false })} />
        </Profiler>
        <Profiler id="ticking" onRender={() => (renders.ticking += 1)}>
          <ProfileRow {...rowProps} id="b" profile={makeProfile()} />
        </Profiler>
      </AppProviders>,
    );
    const before = { ...renders };

    act(() => store.getState().setNow(TEST_NOW_MS + 1000));

    expect(renders.idle).toBe(before.idle);
    expect(renders.ticking).toBe(before.ticking + 1);
  });
});

describe('status announcements', () => {
  it('stay silent while the countdown ticks and speak when the state changes', async () => {
    await renderApp(
      makeSnapshot([makeProfile({ name: 'default', expiresAt: TEST_NOW_S + 303 })]),
    );
    const region = screen.getByTestId('status-announcer');
    expect(region.getAttribute('role')).toBe('status');
    expect(announcement()).toBe('');

    act(() => vi.advanceTimersByTime(2000));
    expect(countdownIn(screen.getByRole('region', { name: 'default' }))).toBe('5:01');
    expect(announcement()).toBe('');

    act(() => vi.advanceTimersByTime(1000));
    expect(announcement()).toBe('default: Expires soon');

    act(() => vi.advanceTimersByTime(60_000));
    expect(announcement()).toBe('default: Expires soon');

    act(() => vi.advanceTimersByTime(240_000));
    expect(announcement()).toBe('default: Expired');
  });

  it('do not speak when the user selects another profile', async () => {
    const { user } = await renderApp(
      makeSnapshot([
        makeProfile({ name: 'default' }),
        makeProfile({ name: 'old', expiresAt: TEST_NOW_S - 7200 }),
      ]),
    );

    await user.click(screen.getByText('old'));

    expect(screen.getByRole('heading', { level: 2, name: 'old' })).toBeTruthy();
    expect(announcement()).toBe('');
  });
});
