import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock } from '../app-services.js';
import type { FetchLike } from './auth-http.js';
import { ClockSkewTracker, describeSkew, skewSample } from './clock-skew.js';
import { requestServiceToken } from './client-credentials.js';
import { DiscoveryClient } from './discovery.js';

describe('telling the skew in words', () => {
  test.each([
    [360_000, "Your computer's clock is 6 min behind"],
    [-360_000, "Your computer's clock is 6 min ahead"],
    [350_000, "Your computer's clock is 6 min behind"],
    [90_000, "Your computer's clock is 2 min behind"],
    [-3 * 3600_000, "Your computer's clock is 3 h ahead"],
    [2 * 86_400_000, "Your computer's clock is 2 d behind"],
  ])('%i ms', (skewMs, words) => {
    expect(describeSkew(skewMs)).toBe(words);
  });

  test('a minute or less is not worth mentioning', () => {
    expect(describeSkew(60_000)).toBeNull();
    expect(describeSkew(-59_000)).toBeNull();
    expect(describeSkew(0)).toBeNull();
  });
});

describe('estimating the skew', () => {
  test('from the Date header, against the middle of the round trip', () => {
    const sample = skewSample({
      serverDate: 1_000_000,
      sentAt: 1_000_000,
      receivedAt: 1_000_400,
    });

    expect(sample).toEqual({
      serverTimeMs: 1_000_500,
      localTimeMs: 1_000_200,
      fromToken: false,
    });
  });

  test('from a new token’s iat before the Date header', () => {
    const times = { sentAt: 0, receivedAt: 0 };

    expect(skewSample({ ...times, serverDate: 10_000 }, 99_000)).toMatchObject({
      serverTimeMs: 99_500,
      fromToken: true,
    });
    expect(skewSample({ ...times, serverDate: null }, 99_000)?.serverTimeMs).toBe(99_500);
    expect(skewSample({ ...times, serverDate: null })).toBeNull();
  });

  test('turns its corrected times back into the computer’s own, for showing', () => {
    const tracker = new ClockSkewTracker({ now: () => 1_000_000 });
    tracker.observe({ serverTimeMs: 1_360_000, localTimeMs: 1_000_000, fromToken: true });

    expect(tracker.now()).toBe(1_360_000);
    expect(tracker.toLocal(tracker.now() + 60_000)).toBe(1_060_000);
  });

  test('follows the clock that issues the tokens over a Date header that disagrees', () => {
    let now = 1_000_000;
    const tracker = new ClockSkewTracker({ now: () => now });
    // A proxy's Date header says 6 min ahead; the tokens' iat agree with the local clock.
    tracker.observe({ serverTimeMs: now + 360_000, localTimeMs: now, fromToken: false });
    expect(tracker.words).toBe("Your computer's clock is 6 min behind");
    tracker.observe({ serverTimeMs: now, localTimeMs: tracker.now(), fromToken: true });
    expect(tracker.words).toBeNull();

    now += 60_000;
    tracker.observe({ serverTimeMs: now + 360_000, localTimeMs: now, fromToken: false });
    expect(tracker.words).toBeNull();
    now += 10 * 60_000;
    tracker.observe({ serverTimeMs: now + 360_000, localTimeMs: now, fromToken: false });
    expect(tracker.words).toBe("Your computer's clock is 6 min behind");
  });

  test('corrects the clock only beyond a minute, and tells listeners when the words change', () => {
    const local = { now: () => 1_000_000 };
    const tracker = new ClockSkewTracker(local);
    const heard: (string | null)[] = [];
    tracker.onChange((words) => heard.push(words));

    tracker.observe({
      serverTimeMs: 1_030_000,
      localTimeMs: 1_000_000,
      fromToken: false,
    });
    expect(tracker.now()).toBe(1_000_000);
    tracker.observe({
      serverTimeMs: 1_360_000,
      localTimeMs: 1_000_000,
      fromToken: false,
    });
    expect(tracker.now()).toBe(1_360_000);
    // Later requests are timed with the corrected clock.
    tracker.observe({
      serverTimeMs: 1_360_000,
      localTimeMs: 1_360_000,
      fromToken: false,
    });
    expect(tracker.now()).toBe(1_360_000);
    tracker.observe({
      serverTimeMs: 1_000_000,
      localTimeMs: 1_360_000,
      fromToken: false,
    });

    expect(heard).toEqual(["Your computer's clock is 6 min behind", null]);
  });

  test('stays at the skew, sample after sample, once it corrects for it', async () => {
    const local = { now: () => Date.now() };
    const tracker = new ClockSkewTracker(local);
    const estimates: number[] = [];
    for (let request = 0; request < 4; request += 1) {
      // The server is 6 minutes ahead; the request is timed as the app times it.
      const sentAt = tracker.now();
      tracker.observe(
        skewSample({ serverDate: Date.now() + 360_000, sentAt, receivedAt: sentAt }),
      );
      estimates.push(Math.round(tracker.skewMs / 1000));
    }

    expect(estimates.every((seconds) => Math.abs(seconds - 360) <= 1)).toBe(true);
    expect(tracker.words).toBe("Your computer's clock is 6 min behind");
  });
});

describe('against the real server', () => {
  let server: AuthServer;
  beforeAll(async () => {
    server = await startAuthServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    server.faults.clear();
  });

  test.each([
    [360, "Your computer's clock is 6 min behind"],
    [-360, "Your computer's clock is 6 min ahead"],
    [20, null],
  ])('a Date header %i s off', async (seconds, words) => {
    server.faults.dateSkewSeconds = seconds;
    const clockSkew = new ClockSkewTracker(systemClock);

    const result = await new DiscoveryClient({
      fetch,
      clock: systemClock,
      clockSkew,
    }).discover(server.url);

    expect(result.ok).toBe(true);
    expect(clockSkew.words).toBe(words);
    expect(Math.abs(clockSkew.skewMs - seconds * 1000)).toBeLessThan(2000);
  });

  test('a failed answer still tells the time', async () => {
    server.faults.dateSkewSeconds = -600;
    server.faults.next('discovery', { kind: 'status', status: 503 });
    const clockSkew = new ClockSkewTracker(systemClock);

    await new DiscoveryClient({ fetch, clock: systemClock, clockSkew }).discover(
      server.url,
    );

    expect(clockSkew.words).toBe("Your computer's clock is 10 min ahead");
  });

  test("a new token's iat when the answer has no Date header", async () => {
    // A local clock 6 minutes fast, and answers stripped of their Date header.
    const fastClock = { now: () => Date.now() + 360_000 };
    const withoutDate: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('date');
      return new Response(await response.arrayBuffer(), {
        status: response.status,
        headers,
      });
    };
    const clockSkew = new ClockSkewTracker(fastClock);

    const result = await requestServiceToken(
      {
        dataBaseUrl: server.dataApiUrl,
        clientId: server.serviceClient.clientId,
        clientSecret: server.serviceClient.clientSecret,
      },
      { fetch: withoutDate, clock: fastClock, clockSkew },
    );

    expect(result.ok).toBe(true);
    expect(clockSkew.words).toBe("Your computer's clock is 6 min ahead");
    expect(Math.abs(clockSkew.now() - Date.now())).toBeLessThan(2000);
  });
});
