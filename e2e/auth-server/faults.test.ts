import { describe, expect, test } from 'vitest';
import { FaultController } from './faults.js';
import { PollLimit } from './poll-limit.js';
import { basicAuthClientId, redactParams } from './request-log.js';

describe('FaultController', () => {
  test('gives queued faults in order, each as often as asked', () => {
    const faults = new FaultController();
    faults.next('token', { kind: 'status', status: 500 }, { times: 2 });
    faults.next('token', { kind: 'drop' });

    const taken = [1, 2, 3, 4].map(() => faults.take('token', undefined)?.kind);
    expect(taken).toEqual(['status', 'status', 'drop', undefined]);
  });

  test('keeps a fault for another endpoint or grant type waiting', () => {
    const faults = new FaultController();
    faults.next('token', { kind: 'drop' }, { grantType: 'refresh_token' });

    expect(faults.take('data_token', 'refresh_token')).toBeUndefined();
    expect(faults.take('token', 'client_credentials')).toBeUndefined();
    expect(faults.pending('token')).toBe(1);
    expect(faults.take('token', 'refresh_token')).toEqual({ kind: 'drop' });
  });

  test('shifts the Date header by the skew', () => {
    const faults = new FaultController();
    faults.dateSkewSeconds = 90;

    expect(faults.dateHeader(Date.UTC(2030, 0, 1))).toBe('Tue, 01 Jan 2030 00:01:30 GMT');
    faults.clear();
    expect(faults.dateHeader(Date.UTC(2030, 0, 1))).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
  });
});

describe('PollLimit', () => {
  test('slows down early polls and grows the interval by 5 s each time', () => {
    let now = 0;
    const limit = new PollLimit(5, () => now);

    expect(limit.tooSoon('code')).toBe(false);
    now = 4_000;
    expect(limit.tooSoon('code')).toBe(true);
    now = 13_000;
    expect(limit.tooSoon('code')).toBe(true);
    now = 28_000;
    expect(limit.tooSoon('code')).toBe(false);
    expect(limit.tooSoon('another code')).toBe(false);
  });
});

describe('request log', () => {
  test('replaces credentials by their length and keeps the rest', () => {
    const params = new URLSearchParams({ refresh_token: 'abcdef', client_id: 'app' });

    expect(redactParams(params)).toEqual({
      refresh_token: '<hidden 6 chars>',
      client_id: 'app',
    });
  });

  test('reads only the client id of Basic authentication', () => {
    const header = `Basic ${Buffer.from('svc%3A1:secret').toString('base64')}`;

    expect(basicAuthClientId(header)).toBe('svc:1');
    expect(basicAuthClientId('Bearer abc')).toBeUndefined();
    expect(basicAuthClientId(undefined)).toBeUndefined();
  });
});
