import { Problem } from '../http/problem.ts';
import type { SmsSender } from './sender.ts';

/** A gateway that has not answered in this long is treated as down; the user may simply retry. */
export const WEBHOOK_TIMEOUT_MS = 5000;

export const smsUnavailable = () =>
  new Problem(502, 'sms_unavailable', 'the text message could not be sent', 'try again in a moment');

/**
 * Hands the message to an operator-run SMS gateway: `POST url` with `{ to, message }` as JSON. Any
 * failure — refused connection, timeout, non-2xx status — is the same 502 problem, and says nothing
 * about the number.
 */
export function webhookSmsSender(
  url: string,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): SmsSender {
  const doFetch = options.fetch ?? fetch;
  return {
    async send(phone, message) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: phone, message }),
          signal: AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
        });
        // Drain the body so the connection is released; its content is not ours to interpret.
        await response.arrayBuffer();
      } catch {
        throw smsUnavailable();
      }
      if (!response.ok) throw smsUnavailable();
    },
  };
}
