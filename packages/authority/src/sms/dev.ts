import { maskPhone } from './mask.ts';
import type { SmsSender } from './sender.ts';
import type { SmsOutbox } from './store.ts';

/**
 * Development delivery: the message goes to the outbox table (read back by tests and the CLI wallet
 * through `GET /dev/sms-outbox`) and one console line; the number is masked in both.
 */
export function devSmsSender(outbox: SmsOutbox, now: () => number, log: (line: string) => void): SmsSender {
  return {
    async send(phone, message) {
      const to = maskPhone(phone);
      await outbox.append({ to, message, sentAt: new Date(now()) });
      log(`[sms dev] to ${to}: ${message}`);
    },
  };
}
