// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/logger';
import { createBrowserServer, type BrowserServer } from '../../electron/browser/server';
import { callNames, eventNames } from '../../shared/contract';
import type { ConfigSnapshot } from '../../shared/profile-types';
import { ok } from '../../shared/result';
import { createEventParser, createHttpBridge } from './http-bridge';
import { createFixedServices, fixedSnapshot } from '../../e2e/support/fixed-services';

const snapshot = fixedSnapshot;

/** Collects pushed values and lets a test wait for one that matches. */
function collector<T>() {
  const values: T[] = [];
  const waiters = new Set<() => void>();
  return {
    values,
    push(value: T) {
      values.push(value);
      waiters.forEach((wake) => wake());
    },
    waitFor(match: (value: T) => boolean): Promise<T> {
      return new Promise((resolve) => {
        const check = () => {
          const found = values.find(match);
          if (found !== undefined) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

let rendererDir: string;
let fixed: ReturnType<typeof createFixedServices>;
let server: BrowserServer;

async function startServer(port = 0): Promise<void> {
  fixed = createFixedServices();
  server = await createBrowserServer({
    services: fixed.services,
    rendererDir,
    port,
    log: createLogger({ destination: { write: () => undefined } }),
  });
}

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'bridge-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html>');
});
afterAll(() => rm(rendererDir, { recursive: true, force: true }));
beforeEach(() => startServer());
afterEach(() => server.close());

describe('createHttpBridge', () => {
  it('has exactly one method per contract call and event, and no generic invoke', () => {
    const bridge = createHttpBridge('secret', 'http://127.0.0.1:1/');

    expect(Object.keys(bridge).sort()).toEqual([...callNames, ...eventNames].sort());
  });

  it('makes contract calls and returns their Results', async () => {
    const bridge = createHttpBridge(server.secret, server.url);

    await expect(bridge.getSnapshot({})).resolves.toEqual(ok(snapshot));
    await expect(
      bridge.revealSecret({ profile: 'default', field: 'token' }),
    ).resolves.toEqual(ok({ value: 'token-value' }));
    await expect(
      bridge.revealSecret({ profile: 'x', field: 'token' }),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('returns the dispatcher refusal for arguments the contract does not allow', async () => {
    const bridge = createHttpBridge(server.secret, server.url);
    const request = { profile: 'default', field: 'password' } as unknown as Parameters<
      typeof bridge.revealSecret
    >[0];

    await expect(bridge.revealSecret(request)).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('explains a refused secret and an unreachable server as Results', async () => {
    const wrongSecret = createHttpBridge('0'.repeat(64), server.url);
    const refused = await wrongSecret.getSnapshot({});
    await server.close();
    const unreachable = await createHttpBridge(server.secret, server.url).getSnapshot({});

    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(refused.ok || refused.error.message).toMatch(/not connected/);
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'network' } });
  });

  it('delivers events to every listener until each unsubscribes', async () => {
    const bridge = createHttpBridge(server.secret, server.url);
    const first = collector<ConfigSnapshot>();
    const second = collector<ConfigSnapshot>();
    const stopFirst = bridge.onSnapshot(first.push);
    const stopSecond = bridge.onSnapshot(second.push);

    // Re-sent until the stream is up: the server replays the latest one on connect.
    fixed.emitSnapshot({ ...snapshot, readAt: 2 });
    await first.waitFor((value) => value.readAt === 2);
    await second.waitFor((value) => value.readAt === 2);
    stopFirst();
    fixed.emitSnapshot({ ...snapshot, readAt: 3 });
    await second.waitFor((value) => value.readAt === 3);

    expect(first.values.map((value) => value.readAt)).toEqual([2]);
    stopSecond();
  });

  it('reconnects after the event stream drops and catches up', async () => {
    const streams: AbortController[] = [];
    // The page's real fetch, with a way for the test to cut each event stream.
    const cuttableFetch: typeof fetch = (input, init) => {
      const cut = new AbortController();
      if (String(input).endsWith('/api/events')) streams.push(cut);
      const signal = init?.signal
        ? AbortSignal.any([init.signal, cut.signal])
        : cut.signal;
      return fetch(input, { ...init, signal });
    };
    const bridge = createHttpBridge(server.secret, server.url, {
      fetch: cuttableFetch,
      firstRetryMs: 10,
    });
    const received = collector<ConfigSnapshot>();
    const stop = bridge.onSnapshot(received.push);
    fixed.emitSnapshot({ ...snapshot, readAt: 5 });
    await received.waitFor((value) => value.readAt === 5);

    streams[0]?.abort();
    fixed.emitSnapshot({ ...snapshot, readAt: 6 });
    await received.waitFor((value) => value.readAt === 6);

    expect(streams.length).toBe(2);
    stop();
  });

  it('stops the stream for good once a restarted server refuses the old secret', async () => {
    const statuses = collector<number>();
    const watchedFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/api/events')) statuses.push(response.status);
      return response;
    };
    const bridge = createHttpBridge(server.secret, server.url, {
      fetch: watchedFetch,
      firstRetryMs: 10,
    });
    const stop = bridge.onSnapshot(() => undefined);
    await statuses.waitFor((status) => status === 200);

    const { port } = server;
    await server.close();
    await startServer(port);
    await statuses.waitFor((status) => status === 403);

    expect(statuses.values.at(-1)).toBe(403);
    stop();
  });
});

describe('createEventParser', () => {
  it('parses events split across arbitrary chunks and skips comments', () => {
    const seen = collector<[string, string]>();
    const parse = createEventParser((name, data) => seen.push([name, data]));

    for (const piece of [
      ': connected\n',
      '\nevent: a:b\nda',
      'ta: {"x":1}\n\n',
      ': heartbeat\n\n',
    ]) {
      parse(piece);
    }
    parse('data: line1\r\ndata:line2\n\n');

    expect(seen.values).toEqual([
      ['a:b', '{"x":1}'],
      ['message', 'line1\nline2'],
    ]);
  });
});
