import { randomBytes } from 'node:crypto';
import type { AuthorityContext } from '../context.ts';
import type { PopulationRegistry } from '../registry/store.ts';
import type { SmsSender } from '../sms/sender.ts';
import { problems } from './problems.ts';
import { sessionIdHash } from './secrets.ts';
import { ACCEPTS, SESSION_SECONDS, STATE, type Step } from './states.ts';
import type { EnrollmentSession, EnrollmentStore, RateLimitStore } from './store.ts';

/** Everything a step handler uses, built once per app. */
export interface Enrollment {
  ctx: AuthorityContext;
  store: EnrollmentStore;
  /** Counters of the limits that span sessions (`limits.ts`). */
  limits: RateLimitStore;
  registry: PopulationRegistry;
  sms: SmsSender;
}

/** 32 random bytes, base64url: the form every session token has; anything else is not one of ours. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Starts a session. The token goes to the client; only its keyed hash is stored. */
export async function createSession(e: Enrollment): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const now = e.ctx.now();
  const expiresAt = new Date(now + SESSION_SECONDS * 1000);
  await e.store.create({
    idHash: sessionIdHash(e.ctx.secrets.session, token),
    state: STATE.document,
    createdAt: new Date(now),
    expiresAt,
  });
  return { token, expiresAt };
}

/** Finds the session a token names, alive; throws the problem that says why not. */
export async function findSession(e: Enrollment, token: string): Promise<EnrollmentSession> {
  if (!TOKEN.test(token)) throw problems.sessionNotFound();
  const session = await e.store.find(sessionIdHash(e.ctx.secrets.session, token));
  if (!session) throw problems.sessionNotFound();
  if (session.expiresAt.getTime() <= e.ctx.now()) throw problems.sessionExpired();
  return session;
}

/** The session, checked to be in a state where `step` may be taken now. */
export async function sessionForStep(e: Enrollment, token: string, step: Step): Promise<EnrollmentSession> {
  const session = await findSession(e, token);
  return checkStep(session, step);
}

export function checkStep(session: EnrollmentSession, step: Step): EnrollmentSession {
  if (ACCEPTS[step].includes(session.state)) return session;
  if (session.state === STATE.locked) throw problems.otpLocked();
  if (session.state === STATE.guardianRequired) throw problems.guardianRequired();
  throw problems.wrongStep(session.state);
}

/**
 * After a guarded update found the session changed under it (a concurrent request was first, or the
 * session or its code expired meanwhile): the problem describing the session as it is now.
 */
export async function explainLostRace(e: Enrollment, token: string, step: Step): Promise<never> {
  const session = checkStep(await findSession(e, token), step);
  if (step === 'otp' && (!session.otpExpiresAt || session.otpExpiresAt.getTime() <= e.ctx.now())) {
    throw problems.otpExpired();
  }
  throw problems.wrongStep(session.state);
}
