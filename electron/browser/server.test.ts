import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { contentSecurityPolicyHeader } from '../shell/content-security-policy.js';
import { createBrowserServer, type BrowserServer } from './server.js';
import { createFixedServices, fixedSnapshot } from '../../e2e/support/fixed-services.js';

const snapshot = fixedSnapshot;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A raw HTTP request: paths and headers go out exactly as written. */
function send(port: number, spec: RequestSpec): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: spec.headers,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(spec.body);
  });
}

let root: string;
let rendererDir: string;
let logLines: string[];
let fixed: ReturnType<typeof createFixedServices>;
let server: BrowserServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'browser-server-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body{}');
  await writeFile(join(root, 'private.txt'), 'outside the renderer');
  await symlink(join(root, 'private.txt'), join(rendererDir, 'assets', 'link.txt'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function startServer(heartbeatMs?: number): Promise<void> {
  logLines = [];
  fixed = createFixedServices();
  const log = createLogger({
    level: 'debug',
    destination: { write: (line) => logLines.push(line) },
  });
  server = await createBrowserServer({
    services: fixed.services,
    rendererDir,
    log,
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
  });
}

beforeEach(() => startServer());

afterEach(async () => {
  await server.close();
  expect(logLines.join('')).not.toContain(server.secret);
});

function call(channel: string, body: unknown, headers: Record<string, string> = {}) {
  return send(server.port, {
    method: 'POST',
    path: `/api/call/${encodeURIComponent(channel)}`,
    headers: {
      authorization: `Bearer ${server.secret}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('browser server calls', () => {
  it('answers a call that carries the launch secret with the handler Result', async () => {
    const answer = await call('profiles:get-snapshot', {});

    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: snapshot });
  });

  it('passes the handler error Results through unchanged', async () => {
    const answer = await call('profiles:reveal-secret', {
      profile: 'staging',
      field: 'token',
    });

    expect(JSON.parse(answer.body)).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such profile.' },
    });
  });

  it.each([
    ['no secret', {}],
    ['a wrong secret', { authorization: `Bearer ${'0'.repeat(64)}` }],
    ['a secret of the wrong length', { authorization: 'Bearer 00' }],
    ['the secret without the Bearer scheme', 'raw'],
  ])('refuses a call with %s', async (_label, headers) => {
    const authorization = headers === 'raw' ? { authorization: server.secret } : headers;
    const answer = await send(server.port, {
      method: 'POST',
      path: '/api/call/profiles%3Aget-snapshot',
      headers: { 'content-type': 'application/json', ...authorization },
      body: '{}',
    });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('refuses a call from a foreign origin even with the secret', async () => {
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${server.port + 1}`,
    ]) {
      const answer = await call('profiles:get-snapshot', {}, { origin });
      expect(answer.status, origin).toBe(403);
    }
  });

  it('accepts the page own origin under either loopback name', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const origin = `http://${name}:${server.port}`;
      const answer = await call(
        'profiles:get-snapshot',
        {},
        { origin, host: `${name}:${server.port}` },
      );
      expect(answer.status, origin).toBe(200);
    }
  });

  it('refuses a call addressed to a foreign host name even with the secret', async () => {
    for (const host of [
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      'localhost',
    ]) {
      const answer = await call('profiles:get-snapshot', {}, { host });
      expect(answer.status, host).toBe(403);
    }
  });

  it('lets the dispatcher refuse an unknown channel and malformed arguments', async () => {
    const unknown = await call('shell:run', {});
    const extraKey = await call('profiles:get-snapshot', { path: '/etc/passwd' });
    const badField = await call('profiles:reveal-secret', {
      profile: 'default',
      field: 'password',
    });

    for (const answer of [unknown, extraKey, badField]) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    }
  });

  it('refuses bodies that are not JSON, too large, or not sent by POST', async () => {
    const auth = { authorization: `Bearer ${server.secret}` };
    const path = '/api/call/profiles%3Aget-snapshot';
    const notJson = await send(server.port, {
      method: 'POST',
      path,
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{',
    });
    const wrongType = await send(server.port, {
      method: 'POST',
      path,
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    const tooLarge = await call('profiles:get-snapshot', { filler: 'x'.repeat(100_000) });
    const viaGet = await send(server.port, { path, headers: auth });

    expect([notJson.status, wrongType.status, tooLarge.status, viaGet.status]).toEqual([
      400, 415, 413, 405,
    ]);
  });

  it('answers 404 for an API path that does not exist, but only with the secret', async () => {
    const withSecret = await send(server.port, {
      path: '/api/nothing',
      headers: { authorization: `Bearer ${server.secret}` },
    });
    const withoutSecret = await send(server.port, { path: '/api/nothing' });

    expect([withSecret.status, withoutSecret.status]).toEqual([404, 403]);
  });
});

/** Reads an event stream's raw text as it arrives. */
function openEvents(port: number, headers: Record<string, string>) {
  let text = '';
  const waiters: Array<() => void> = [];
  let ended = false;
  const outgoing = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers });
  const response = new Promise<{ status: number; contentType: string | undefined }>(
    (resolve) => {
      outgoing.on('response', (incoming) => {
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          text += chunk;
          waiters.forEach((wake) => wake());
        });
        incoming.on('end', () => {
          ended = true;
          waiters.forEach((wake) => wake());
        });
        resolve({
          status: incoming.statusCode ?? 0,
          contentType: incoming.headers['content-type'],
        });
      });
    },
  );
  outgoing.end();

  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => done() && resolve();
      waiters.push(check);
      check();
    });

  return {
    response,
    text: () => text,
    waitForText: (expected: string) => until(() => text.includes(expected)),
    waitForEnd: () => until(() => ended),
    close: () => outgoing.destroy(),
  };
}

describe('browser server events', () => {
  it('delivers service events on the stream as channel and JSON data', async () => {
    const stream = openEvents(server.port, { authorization: `Bearer ${server.secret}` });
    await stream.waitForText(': connected');

    const changed = { ...snapshot, readAt: 2 };
    fixed.emitSnapshot(changed);
    await stream.waitForText('event: profiles:snapshot\n');

    const frame = stream
      .text()
      .split('\n\n')
      .find((block) => block.startsWith('event:'));
    expect(frame).toBe(`event: profiles:snapshot\ndata: ${JSON.stringify(changed)}`);
    expect((await stream.response).contentType).toMatch(/^text\/event-stream/);
    stream.close();
  });

  it('first sends a late page the latest payload of each event', async () => {
    fixed.emitSnapshot({ ...snapshot, readAt: 3 });
    fixed.emitSnapshot({ ...snapshot, readAt: 4 });

    const stream = openEvents(server.port, { authorization: `Bearer ${server.secret}` });
    await stream.waitForText('"readAt":4');

    expect(stream.text()).not.toContain('"readAt":3');
    stream.close();
  });

  it('never replays news to a late page, only state', async () => {
    fixed.emit('onFileChanges', [
      { profile: 'default', message: 'an old change', at: 1 },
    ]);
    fixed.emitSnapshot({ ...snapshot, readAt: 5 });

    const stream = openEvents(server.port, { authorization: `Bearer ${server.secret}` });
    await stream.waitForText('"readAt":5');

    expect(stream.text()).not.toContain('an old change');
    stream.close();
  });

  it('sends heartbeat comments while idle', async () => {
    await server.close();
    await startServer(20);
    const stream = openEvents(server.port, { authorization: `Bearer ${server.secret}` });

    await stream.waitForText(': heartbeat\n\n');
    stream.close();
  });

  it('refuses the stream without the secret or from a foreign origin', async () => {
    const withoutSecret = openEvents(server.port, {});
    const foreign = openEvents(server.port, {
      authorization: `Bearer ${server.secret}`,
      origin: 'http://evil.example',
    });

    expect((await withoutSecret.response).status).toBe(403);
    expect((await foreign.response).status).toBe(403);
  });

  it('ends open streams and stops listening to the services when closed', async () => {
    const stream = openEvents(server.port, { authorization: `Bearer ${server.secret}` });
    await stream.waitForText(': connected');

    await server.close();
    await stream.waitForEnd();
    expect(fixed.listenerCount()).toBe(0);
  });
});

describe('browser server static files', () => {
  it('serves index.html with the CSP, nosniff and no caching', async () => {
    const answer = await send(server.port, { path: '/' });

    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>app</title>');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toBe(contentSecurityPolicyHeader);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('serves assets with their content types', async () => {
    const script = await send(server.port, { path: '/assets/app.js' });
    const style = await send(server.port, { path: '/assets/app.css' });

    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    '/../private.txt',
    '/assets/../../private.txt',
    '/%2e%2e/private.txt',
    '/assets/..%2f..%2fprivate.txt',
    '/assets/%2e%2e%5c%2e%2e%5cprivate.txt',
    '/assets/link.txt',
    '/assets/app.js%00.html',
    '/%E0%A4%A',
  ])('refuses %s, which leads outside the renderer', async (path) => {
    const answer = await send(server.port, { path });

    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('outside the renderer');
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    const missing = await send(server.port, { path: '/nothing.js' });
    const posted = await send(server.port, { method: 'POST', path: '/', body: 'x' });

    expect([missing.status, posted.status]).toEqual([404, 405]);
  });

  it('refuses static files under a foreign host name', async () => {
    const answer = await send(server.port, {
      path: '/',
      headers: { host: 'evil.example' },
    });

    expect(answer.status).toBe(403);
  });
});

describe('browser server setup', () => {
  it('listens on loopback and hands the secret over in the URL fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(server.launchUrl).toBe(`${server.url}#secret=${server.secret}`);
  });

  it('refuses to listen on an address other machines can reach', async () => {
    const attempt = createBrowserServer({
      services: fixed.services,
      rendererDir,
      host: '0.0.0.0',
      log: createLogger({ destination: { write: () => undefined } }),
    });

    await expect(attempt).rejects.toThrow(/this machine only/);
  });

  it('reports a port that is already taken', async () => {
    const attempt = createBrowserServer({
      services: fixed.services,
      rendererDir,
      port: server.port,
      log: createLogger({ destination: { write: () => undefined } }),
    });

    await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
