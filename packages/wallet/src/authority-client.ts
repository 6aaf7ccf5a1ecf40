import { fail } from '@netid/protocol/errors';
import { requestJson } from './http.ts';
import { AuthorityRefusedError, problemFrom } from './problems.ts';

/** JSON over HTTP to the authority; refusals become `AuthorityRefusedError`, network trouble ERR_FETCH_FAILED. */
export async function callAuthority(
  authority: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  return requestJson(
    new URL(path, authority),
    { method, body, authority, label: `${method} ${path}` },
    (status, parsed) => new AuthorityRefusedError(problemFrom(status, parsed)),
  );
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
