import { stableUuid } from './accounts.js';
import type { Endpoint } from './faults.js';
import type { UpstreamAnswer } from './proxy.js';

function jsonObject(answer: UpstreamAnswer): Record<string, unknown> | undefined {
  if (answer.status !== 200 || !String(answer.headers['content-type']).includes('json')) {
    return undefined;
  }

  try {
    const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The fields FusionAuth adds that oidc-provider does not send. */
function fusionAuthFields(
  endpoint: Endpoint,
  body: Record<string, unknown>,
  pollIntervalSeconds: number,
): Record<string, unknown> | undefined {
  if (endpoint === 'device_authorize' && body.interval === undefined) {
    return { interval: pollIntervalSeconds };
  }
  if (endpoint !== 'token' && endpoint !== 'data_token') {
    return undefined;
  }

  return {
    // An empty scope says nothing; FusionAuth leaves it out.
    scope: body.scope === '' ? undefined : body.scope,
    ...(typeof body.refresh_token === 'string'
      ? { refresh_token_id: stableUuid(`refresh:${body.refresh_token}`) }
      : {}),
  };
}

/**
 * Makes a provider answer look like FusionAuth's: the device authorization
 * answer carries the polling `interval`, token answers that hold a refresh
 * token also name it with a `refresh_token_id`, and an empty scope is left out.
 */
export function shapeAnswer(
  endpoint: Endpoint,
  answer: UpstreamAnswer,
  pollIntervalSeconds: number,
): UpstreamAnswer {
  const body = jsonObject(answer);
  const extra = body && fusionAuthFields(endpoint, body, pollIntervalSeconds);
  if (body === undefined || extra === undefined) {
    return answer;
  }

  // JSON.stringify drops the fields set to undefined.
  return { ...answer, body: Buffer.from(JSON.stringify({ ...body, ...extra })) };
}
