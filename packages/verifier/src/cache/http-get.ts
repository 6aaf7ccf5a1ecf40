import { fail, NetidError } from '@netid/protocol';

/**
 * One bounded GET of an issuer resource. Every way it can go wrong (DNS, refused connection, TLS,
 * timeout, HTTP status, oversized body) surfaces as `ERR_FETCH_FAILED`, so the cache above it has a
 * single failure path and no TypeError or DOMException leaks to the platform.
 */

export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export interface GetLimits {
  maxBodyBytes: number;
  timeoutMs: number;
  /** Aborts the request when the owner is stopped. */
  signal?: AbortSignal;
  accept?: string | undefined;
}

export type GetResult =
  | { kind: 'not-modified'; response: Response }
  | { kind: 'body'; response: Response; body: string };

export async function boundedGet(
  fetchFn: typeof fetch,
  url: string,
  validators: Validators,
  limits: GetLimits,
): Promise<GetResult> {
  const headers = new Headers();
  if (limits.accept !== undefined) headers.set('accept', limits.accept);
  if (validators.etag !== undefined) headers.set('if-none-match', validators.etag);
  if (validators.lastModified !== undefined) headers.set('if-modified-since', validators.lastModified);
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  // The timeout covers the body too: a server trickling bytes must not hold a refresh open forever.
  const signal = limits.signal === undefined ? timeout : AbortSignal.any([timeout, limits.signal]);
  try {
    const response = await fetchFn(url, { method: 'GET', headers, redirect: 'follow', signal });
    if (response.status === 304) {
      await discard(response);
      return { kind: 'not-modified', response };
    }
    if (response.status !== 200) {
      await discard(response);
      fail('ERR_FETCH_FAILED', `GET ${url} answered HTTP ${response.status}`);
    }
    const body = await readLimited(response, limits.maxBodyBytes, url);
    return { kind: 'body', response, body };
  } catch (err) {
    if (err instanceof NetidError) throw err;
    const why = timeout.aborted ? `timed out after ${limits.timeoutMs} ms` : describe(err);
    throw new NetidError('ERR_FETCH_FAILED', `GET ${url} failed: ${why}`, { cause: err });
  }
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = response.headers.get('content-length');
  // Refuse early when the server tells us; the running count below catches chunked or lying servers.
  if (declared !== null && Number(declared) > maxBytes) {
    await discard(response);
    fail('ERR_FETCH_FAILED', `GET ${url}: body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      fail('ERR_FETCH_FAILED', `GET ${url}: body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (err) {
    fail('ERR_MALFORMED', `GET ${url}: body is not valid UTF-8`, err);
  }
}

/** Releases the connection of a response whose body we do not want. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, …) in `cause`.
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
