import type { ServerResponse } from 'node:http';

/** The places a fault can be aimed at. */
export type Endpoint =
  | 'discovery'
  | 'jwks'
  | 'device_authorize'
  | 'device_page'
  | 'token'
  | 'data_token'
  | 'revoke'
  | 'other';

/** One misbehaviour of the server, answered instead of (or before) the real one. */
export type Fault =
  /** An OAuth error object, e.g. `slow_down`, `access_denied`, `invalid_grant`. */
  | { kind: 'oauth-error'; error: string; status?: number; description?: string }
  /** A bare HTTP status with a short plain-text body, e.g. a 500. */
  | { kind: 'status'; status: number }
  /** An HTML page, as a captive portal (200) or a gateway (502) would answer. */
  | { kind: 'html'; status: number }
  /** A body that claims to be JSON and is not. */
  | { kind: 'invalid-json'; status?: number }
  /** The real answer, after a delay. */
  | { kind: 'delay'; ms: number }
  /** The connection is closed without any answer. */
  | { kind: 'drop' };

/** Which requests a fault applies to, and how often. */
export interface FaultOptions {
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Only requests whose form `grant_type` is this one. */
  grantType?: string;
}

interface FaultRule {
  endpoint: Endpoint;
  fault: Fault;
  grantType: string | undefined;
  remaining: number;
}

/** Faults queued by tests, taken by the front server one request at a time. */
export class FaultController {
  readonly #rules: FaultRule[] = [];

  /** Seconds added to the `Date` header of every answer (negative: behind). */
  dateSkewSeconds = 0;

  /** Answers the next matching request(s) with `fault`, after earlier queued faults. */
  next(endpoint: Endpoint, fault: Fault, options: FaultOptions = {}): void {
    this.#rules.push({
      endpoint,
      fault,
      grantType: options.grantType,
      remaining: options.times ?? 1,
    });
  }

  /** Answers every matching request with `fault` until `clear()`. */
  always(
    endpoint: Endpoint,
    fault: Fault,
    options: Omit<FaultOptions, 'times'> = {},
  ): void {
    this.next(endpoint, fault, { ...options, times: Number.POSITIVE_INFINITY });
  }

  /** Removes every queued fault and the date skew. */
  clear(): void {
    this.#rules.length = 0;
    this.dateSkewSeconds = 0;
  }

  /** How many queued answers are still to be given for an endpoint. */
  pending(endpoint: Endpoint): number {
    return this.#rules
      .filter((rule) => rule.endpoint === endpoint)
      .reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** The fault for this request, if any; counts it as used. */
  take(endpoint: Endpoint, grantType: string | undefined): Fault | undefined {
    const index = this.#rules.findIndex(
      (rule) =>
        rule.endpoint === endpoint &&
        (rule.grantType === undefined || rule.grantType === grantType),
    );
    const rule = this.#rules[index];
    if (rule === undefined) {
      return undefined;
    }

    rule.remaining -= 1;
    if (rule.remaining <= 0) {
      this.#rules.splice(index, 1);
    }

    return rule.fault;
  }

  /** The `Date` header value to send now. */
  dateHeader(now = Date.now()): string {
    return new Date(now + this.dateSkewSeconds * 1000).toUTCString();
  }
}

const HTML_PAGE = `<!DOCTYPE html>
<html><head><title>Service unavailable</title></head>
<body><h1>Service unavailable</h1><p>Please try again later.</p></body></html>
`;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * Writes the answer a fault stands for. Returns false for a delay, whose
 * request then goes on to the real server.
 */
export async function answerWithFault(
  res: ServerResponse,
  fault: Fault,
): Promise<boolean> {
  switch (fault.kind) {
    case 'oauth-error': {
      const body = {
        error: fault.error,
        error_description: fault.description ?? fault.error,
      };
      send(res, fault.status ?? 400, 'application/json', JSON.stringify(body));
      return true;
    }
    case 'status':
      send(res, fault.status, 'text/plain; charset=utf-8', `HTTP ${fault.status}\n`);
      return true;
    case 'html':
      send(res, fault.status, 'text/html; charset=utf-8', HTML_PAGE);
      return true;
    case 'invalid-json':
      send(
        res,
        fault.status ?? 200,
        'application/json',
        '{"access_token": "unterminated',
      );
      return true;
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case 'drop':
      res.socket?.destroy();
      return true;
  }
}
