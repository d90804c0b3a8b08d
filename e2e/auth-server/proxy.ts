import { request } from 'node:http';
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
} from 'node:http';

/** A complete answer from the provider, held so it can be adjusted. */
export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Headers that describe one connection or one encoding, not the answer. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
]);

/** The Host header is kept, so the provider builds URLs under the public issuer. */
function forwardedHeaders(
  incoming: IncomingHttpHeaders,
  body: Buffer,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...incoming, 'content-length': body.length };
  delete headers['transfer-encoding'];
  delete headers.connection;

  return headers;
}

/** Sends a request, with its already-read body, to the provider on `port`. */
export function forward(
  port: number,
  incoming: IncomingMessage,
  path: string,
  body: Buffer,
): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: incoming.method,
        path,
        headers: forwardedHeaders(incoming.headers, body),
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 502,
            headers: answer.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The provider's headers minus the per-connection ones, for the front answer. */
export function answerHeaders(answer: UpstreamAnswer): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (!HOP_HEADERS.has(name) && value !== undefined) {
      headers[name] = value;
    }
  }
  headers['content-length'] = answer.body.length;

  return headers;
}
