import type { Context } from 'hono';
import { Problem, respondProblem } from '../http/problem.ts';
import { nextStep } from './states.ts';

/** Enrollment's stable problem codes, one constructor each so the wording stays the same everywhere. */
export const problems = {
  sessionNotFound: () => new Problem(404, 'session_not_found', 'no such enrollment session'),
  sessionExpired: () =>
    new Problem(410, 'session_expired', 'the enrollment session has expired', 'start a new session'),
  wrongStep: (state: string) =>
    new Problem(409, 'wrong_step', 'this step is not the next one in the enrollment', undefined, {
      next: nextStep(state),
    }),
  guardianRequired: () =>
    new Problem(
      409,
      'guardian_required',
      'a guardian must approve this enrollment',
      'people under 14 enroll with the approval of a guardian',
    ),
  // The same answer whatever did not match: the registry is not an oracle for names or birthdates.
  registryMismatch: () => new Problem(422, 'registry_mismatch', 'the document does not match the registry'),
  otpIncorrect: (attemptsLeft: number) =>
    new Problem(400, 'otp_incorrect', 'the code is not correct', undefined, { attemptsLeft }),
  otpLocked: () =>
    new Problem(
      423,
      'otp_locked',
      'too many wrong codes: the enrollment session is locked',
      'start a new session',
    ),
  otpExpired: () => new Problem(410, 'otp_expired', 'the code has expired', 'ask for a new code'),
  weakPassword: (rule: string, detail: string) =>
    new Problem(400, 'weak_password', 'the password is too easy to guess', detail, { rule }),
};

/**
 * 429 with the wait in whole seconds in the body; the routes copy it into `Retry-After` (RFC 9110
 * §10.2.3), which the shared problem responder does not set.
 */
export function throttled(code: string, title: string, seconds: number): Problem {
  return new Problem(429, code, title, undefined, { retryAfter: Math.max(1, Math.ceil(seconds)) });
}

export function respondWithRetryAfter(c: Context, problem: Problem): Response {
  const response = respondProblem(c, problem);
  const seconds = problem.extra.retryAfter;
  if (typeof seconds === 'number') response.headers.set('retry-after', String(seconds));
  return response;
}
