import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DooverApi } from '../../shared/contract';
import { callNames, eventNames } from '../../shared/contract';
import { takeLaunchSecret } from './get-api';

const secret = 'a1'.repeat(32);

function openAt(address: string): void {
  window.history.replaceState(null, '', address);
}

beforeEach(() => {
  window.sessionStorage.clear();
  openAt('/');
});

afterEach(() => {
  delete window.doover;
});

describe('takeLaunchSecret', () => {
  it('takes the secret from the fragment and removes it from the address bar', () => {
    openAt(`/index.html?x=1#secret=${secret}`);

    expect(takeLaunchSecret(window)).toBe(secret);
    expect(window.location.hash).toBe('');
    expect(window.location.href).not.toContain(secret);
    expect(window.location.pathname + window.location.search).toBe('/index.html?x=1');
  });

  it('keeps the rest of the fragment', () => {
    openAt(`/#secret=${secret}&view=history`);

    takeLaunchSecret(window);

    expect(window.location.hash).toBe('#view=history');
  });

  it('finds the secret again after a reload of the same tab', () => {
    openAt(`/#secret=${secret}`);
    takeLaunchSecret(window);

    expect(takeLaunchSecret(window)).toBe(secret);
  });

  it('prefers a new launch secret over the stored one', () => {
    openAt(`/#secret=${secret}`);
    takeLaunchSecret(window);
    openAt(`/#secret=${'b2'.repeat(32)}`);

    expect(takeLaunchSecret(window)).toBe('b2'.repeat(32));
  });

  it('is empty when the page was opened without one', () => {
    expect(takeLaunchSecret(window)).toBe('');
  });
});

describe('getDooverApi', () => {
  async function freshGetDooverApi() {
    vi.resetModules();
    const module = await import('./get-api');
    return module.getDooverApi;
  }

  it('uses the preload API when the desktop app provides one', async () => {
    const preloadApi = { marker: 'preload' } as unknown as DooverApi;
    window.doover = preloadApi;
    openAt(`/#secret=${secret}`);
    const getDooverApi = await freshGetDooverApi();

    expect(getDooverApi()).toBe(preloadApi);
    expect(window.location.hash).toBe(`#secret=${secret}`);
  });

  it('builds the HTTP bridge in a browser, once', async () => {
    openAt(`/#secret=${secret}`);
    const getDooverApi = await freshGetDooverApi();

    const api = getDooverApi();

    expect(Object.keys(api).sort()).toEqual([...callNames, ...eventNames].sort());
    expect(getDooverApi()).toBe(api);
    expect(window.location.hash).toBe('');
  });
});
