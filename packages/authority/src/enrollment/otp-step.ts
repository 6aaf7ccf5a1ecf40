import { z } from 'zod';
import { problems } from './problems.ts';
import { otpHash } from './secrets.ts';
import { type Enrollment, explainLostRace, sessionForStep } from './session.ts';
import { OTP_MAX_ATTEMPTS, STATE } from './states.ts';

export const otpBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });

/**
 * The OTP step: the attempt is counted and decided by one UPDATE (see `EnrollmentStore.checkOtp`),
 * and the fifth wrong code locks the session for good.
 */
export async function otpStep(
  e: Enrollment,
  token: string,
  body: z.infer<typeof otpBody>,
): Promise<{ next: 'password' }> {
  const session = await sessionForStep(e, token, 'otp');
  const now = new Date(e.ctx.now());
  if (!session.otpExpiresAt || session.otpExpiresAt <= now) throw problems.otpExpired();

  const result = await e.store.checkOtp(
    session.idHash,
    otpHash(e.ctx.secrets.session, session.idHash, body.code),
    {
      maxAttempts: OTP_MAX_ATTEMPTS,
      now,
      states: { from: STATE.otp, verified: STATE.password, locked: STATE.locked },
    },
  );
  if (!result) return explainLostRace(e, token, 'otp');
  if (result.state === STATE.password) return { next: 'password' };
  if (result.state === STATE.locked) throw problems.otpLocked();
  throw problems.otpIncorrect(OTP_MAX_ATTEMPTS - result.attempts);
}
