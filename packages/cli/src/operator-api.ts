/** One call to the authority's operator API, as `netid operator` and `netid platform` make it. */
export interface OperatorRequest {
  method: 'GET' | 'POST';
  /** Resolved against the authority URL, as `new URL` does. */
  path: string;
  body?: unknown;
}

/** The answer as a JSON object, or a problem to print as `{ error: code, message }`. */
export type OperatorAnswer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: string; message: string };

/**
 * Sends `request` to `authority` with the operator token from NETID_OPERATOR_TOKEN (read from the
 * environment, never a flag, so it stays out of shell history). Every failure comes back as a
 * problem, so the commands have one way to report it.
 */
export async function callOperatorApi(authority: string, request: OperatorRequest): Promise<OperatorAnswer> {
  const token = process.env.NETID_OPERATOR_TOKEN;
  if (!token) {
    return {
      ok: false,
      code: 'operator_token_missing',
      message: 'set NETID_OPERATOR_TOKEN to the operator token',
    };
  }
  // A base without a trailing slash would lose its last path segment when the path is resolved.
  const url = new URL(request.path, authority.endsWith('/') ? authority : `${authority}/`);
  const { body } = request;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return {
      ok: false,
      code: 'authority_unreachable',
      message: `cannot reach ${authority}: ${(error as Error).message}`,
    };
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  if (!response.ok) {
    // An RFC 9457 problem; its `code` is the authority's stable error code when it sends one.
    const p = isObject(answer) ? answer : {};
    const code = typeof p.code === 'string' ? p.code : `http_${response.status}`;
    const message = [p.title, p.detail].filter((s) => typeof s === 'string').join(': ');
    return { ok: false, code, message: message || `the authority answered ${response.status}` };
  }
  if (!isObject(answer)) {
    return { ok: false, code: 'invalid_response', message: 'the authority did not answer with JSON' };
  }
  return { ok: true, body: answer };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
