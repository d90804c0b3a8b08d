import { cleanup, render, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { onTestFinished, vi } from 'vitest';
import type { ConfigSnapshot, SecretField } from '../../shared/profile-types';
import { ok, type Result } from '../../shared/result';
import { App } from '../app';
import { createAppStore } from '../store/app-store';
import { startClock } from '../store/clock';
import { connectStoreToApi } from '../store/connect-api';
import { emulateLayout } from './fake-layout';
import { createInMemoryApi } from './in-memory-api';
import { TEST_NOW_MS } from './sample-snapshot';

interface RenderAppOptions {
  secrets?: Record<string, Partial<Record<SecretField, string>>>;
  /** What getPreservedBlock answers for each preserved block, by index. */
  preservedTexts?: string[];
  /** Height of the list's viewport in pixels. */
  viewportHeight?: number;
}

/**
 * Starts the app the way main.tsx does (store, API subscription, shared clock)
 * against an in-memory main process, and waits for the first answer on screen.
 * Time stands still at TEST_NOW_MS until the test moves it with
 * `vi.advanceTimersByTime`; only Date and intervals are faked, so waiting on
 * the DOM still works. Everything is torn down when the test ends.
 */
export async function renderApp(
  initial: ConfigSnapshot | Result<ConfigSnapshot>,
  options: RenderAppOptions = {},
) {
  vi.useFakeTimers({
    toFake: ['Date', 'setInterval', 'clearInterval'],
    now: TEST_NOW_MS,
  });
  const restoreLayout = emulateLayout(900, options.viewportHeight ?? 600);
  const backend = createInMemoryApi('ok' in initial ? initial : ok(initial), {
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.preservedTexts === undefined
      ? {}
      : { preservedTexts: options.preservedTexts }),
  });
  const store = createAppStore();
  const disconnect = connectStoreToApi(backend.api, store);
  const stopClock = startClock(store);
  const view = render(<App api={backend.api} store={store} />);
  onTestFinished(() => {
    cleanup();
    stopClock();
    disconnect();
    restoreLayout();
    vi.useRealTimers();
  });
  await waitFor(() => {
    if (view.container.querySelector('[data-app-ready="true"]') === null) {
      throw new Error('the app has not shown its first answer yet');
    }
  });

  return { ...view, backend, store, user: userEvent.setup({ delay: null }) };
}
