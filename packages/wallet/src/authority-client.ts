import { fail } from '@netid/protocol';
import { AuthorityRefusedError, problemFrom } from './problems.ts';

/** Responses larger than this are not an enrollment answer. */
const MAX_BODY = 1_000_000;

/** JSON over HTTP to the authority; refusals become `AuthorityRefusedError`, network trouble ERR_FETCH_FAILED. */
export async function callAuthority(
  authority: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, authority), {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return fail(
      'ERR_FETCH_FAILED',
      `cannot reach the authority at ${authority}: ${(error as Error).message}`,
    );
  }
  const text = await res.text();
  if (text.length > MAX_BODY) return fail('ERR_INPUT_TOO_LARGE', 'the authority answer is too large');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw new AuthorityRefusedError(problemFrom(res.status, parsed));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(
      'ERR_MALFORMED',
      `the authority answered ${method} ${path} with something other than a JSON object`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** The mask the authority's SMS outbox shows (`138****5678`), to find the holder's own messages. */
export function maskPhone(phone: string): string {
  const national = phone.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  if (national.length < 8) return '*'.repeat(national.length);
  return `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
}

/**
 * The newest 6-digit code texted to `phone`, read from a development authority's outbox
 * (`GET /dev/sms-outbox`). `after` is a message already used (its `seen`), so the tx_code is not
 * mistaken for the SMS code texted before it.
 */
export async function codeFromOutbox(
  authority: string,
  phone: string,
  after?: string,
): Promise<{ code: string; seen: string }> {
  const to = maskPhone(phone);
  let answer: Record<string, unknown>;
  try {
    answer = await callAuthority(authority, 'GET', `/dev/sms-outbox?limit=1&to=${encodeURIComponent(to)}`);
  } catch (error) {
    if (error instanceof AuthorityRefusedError && error.problem.status === 404) {
      return fail(
        'ERR_FETCH_FAILED',
        '--otp-from-outbox needs an authority in development mode (no /dev/sms-outbox)',
      );
    }
    throw error;
  }
  const messages = Array.isArray(answer.messages) ? answer.messages : [];
  const newest = messages[0] as { message?: unknown; sentAt?: unknown } | undefined;
  const message = newest?.message;
  const code = typeof message === 'string' ? /\d{6}/.exec(message)?.[0] : undefined;
  const seen = `${String(newest?.sentAt)} ${String(message)}`;
  if (!code || seen === after) return fail('ERR_FETCH_FAILED', `no new code texted to ${to} in the outbox`);
  return { code, seen };
}
