import { createHmac } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { throttled } from './problems.ts';
import type { Enrollment } from './session.ts';

/**
 * Abuse limits that span sessions. The per-session limits (OTP_MAX_SENDS …) stop nothing on their
 * own: a new session is free, so without these one could keep texting a victim's number or keep
 * probing the registry for matching name/birthdate/number combinations.
 */
export interface Limit {
  /** Part of the key hash, so each limit counts on its own. */
  name: string;
  max: number;
  windowSeconds: number;
}

export const LIMITS = {
  smsPerPhoneHour: { name: 'sms-phone-hour', max: 5, windowSeconds: 3600 },
  smsPerPhoneDay: { name: 'sms-phone-day', max: 10, windowSeconds: 86_400 },
  sessionsPerClient: { name: 'sessions-client', max: 20, windowSeconds: 600 },
  documentsPerClient: { name: 'documents-client', max: 30, windowSeconds: 600 },
} as const satisfies Record<string, Limit>;

/** What a client address is counted under when the connection does not say (`app.request()` in tests). */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The address of the peer that opened the connection. X-Forwarded-For is not read: any client can
 * send it, and trusting it would let each request pick a fresh counter.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? UNKNOWN_CLIENT;
  } catch {
    return UNKNOWN_CLIENT;
  }
}

/**
 * The counter's key: a keyed hash under the session secret, labelled by limit. Only this is stored,
 * never the address or the phone hash itself, so the rows cannot be joined to sessions or persons.
 */
export function limitKeyHash(secret: Buffer, limit: Limit, value: string): Buffer {
  return createHmac('sha256', secret).update(`rate-limit:${limit.name}:${value}`).digest();
}

export interface Taken {
  /** Gives the uses back, e.g. when the SMS gateway failed and nothing was texted. */
  release(): Promise<void>;
}

/**
 * Counts one use of `value` against every limit in `limits`, all or none: when one refuses, the uses
 * already taken are given back and a 429 `too_many_requests` says when its window ends.
 */
export async function takeLimits(e: Enrollment, limits: Limit[], value: string): Promise<Taken> {
  const nowMs = e.ctx.now();
  const taken: { key: Buffer; start: Date }[] = [];
  const release = async () => {
    for (const t of taken) await e.limits.release(t.key, t.start);
  };
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const key = limitKeyHash(e.ctx.secrets.session, limit, value);
    const window = { start: new Date(start), end: new Date(start + windowMs) };
    if (!(await e.limits.take(key, window, limit.max, new Date(nowMs)))) {
      await release();
      throw throttled(
        'too_many_requests',
        'too many requests: try again later',
        (start + windowMs - nowMs) / 1000,
      );
    }
    taken.push({ key, start: window.start });
  }
  return { release };
}
