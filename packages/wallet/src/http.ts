import { fail } from '@netid/protocol/errors';
import { isPlainObject } from '@netid/protocol/json';

// Browser-safe: the web wallet (web/) uses it too.

/** What ERR_FETCH_FAILED carries as its cause: the origin that could not be reached. */
export interface Unreachable {
  target: string;
}

/** ERR_FETCH_FAILED for a request to `url` that never got an answer, naming its origin. */
export function unreachable(url: URL | string, error: unknown, what = ''): never {
  const target = new URL(url).origin;
  return fail('ERR_FETCH_FAILED', `cannot reach ${what}${target}: ${(error as Error).message}`, {
    target,
  } satisfies Unreachable);
}

/** Responses larger than this are not an answer from the authority. */
const MAX_BODY = 1_000_000;

export interface JsonRequest {
  method: 'GET' | 'POST';
  body?: unknown;
  authorization?: string;
  fetch?: typeof fetch;
  /** The authority as failures name it: "cannot reach the authority at …". */
  authority: string;
  /** The request as failures name it: "the authority answered … with something other than a JSON object". */
  label: string;
}

/**
 * JSON over HTTP to the authority. A non-2xx answer becomes `refusal(status, parsed)` (`parsed` is
 * undefined when the body is not JSON: the caller reads the problem from it); network trouble is
 * ERR_FETCH_FAILED, an oversized answer ERR_INPUT_TOO_LARGE, a 2xx that is not a JSON object ERR_MALFORMED.
 */
export async function requestJson(
  url: URL | string,
  request: JsonRequest,
  refusal: (status: number, parsed: unknown) => Error,
): Promise<Record<string, unknown>> {
  const { method, body, authorization } = request;
  let res: Response;
  try {
    res = await (request.fetch ?? fetch)(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return unreachable(request.authority, error, 'the authority at ');
  }
  const text = await res.text();
  if (text.length > MAX_BODY) return fail('ERR_INPUT_TOO_LARGE', 'the authority answer is too large');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw refusal(res.status, parsed);
  if (!isPlainObject(parsed)) {
    return fail(
      'ERR_MALFORMED',
      `the authority answered ${request.label} with something other than a JSON object`,
    );
  }
  return parsed;
}
