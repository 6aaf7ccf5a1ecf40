import { z } from 'zod';
import { openSessionData, sealSessionData } from './data.ts';
import { LIMITS, takeLimits } from './limits.ts';
import { normalizePhone } from './phone.ts';
import { throttled } from './problems.ts';
import { otpHash, phoneHash, sixDigitCode } from './secrets.ts';
import { checkStep, type Enrollment, findSession, sessionForStep } from './session.ts';
import { OTP_MAX_SENDS, OTP_RESEND_SECONDS, OTP_SECONDS, STATE } from './states.ts';

export const phoneBody = z.object({ phone: z.string().max(32) });

export interface OtpSent {
  next: 'otp';
  otpExpiresAt: string;
  /** When the next send (resend, or another number) will be accepted. */
  resendAfter: string;
  sendsLeft: number;
}

/**
 * The phone step, also the resend: texts a fresh 6-digit code. The send is reserved by a guarded
 * update before the message goes out (so parallel requests cannot text a victim more than the limit)
 * and undone if the SMS gateway fails, leaving the session as it was.
 */
export async function phoneStep(
  e: Enrollment,
  token: string,
  body: z.infer<typeof phoneBody>,
): Promise<OtpSent> {
  const session = await sessionForStep(e, token, 'phone');
  const phone = normalizePhone(body.phone);
  const nowMs = e.ctx.now();
  const now = new Date(nowMs);

  if (session.otpSends >= OTP_MAX_SENDS) {
    throw throttled(
      'otp_send_limit',
      'no more codes can be sent in this enrollment session',
      (session.expiresAt.getTime() - nowMs) / 1000,
    );
  }
  const wait = session.otpSentAt ? session.otpSentAt.getTime() + OTP_RESEND_SECONDS * 1000 - nowMs : 0;
  if (wait > 0) throw throttled('otp_throttled', 'a code was sent a moment ago', wait / 1000);

  // Across sessions, keyed by the phone's keyed hash: a new session must not mean more texts to a victim.
  const phoneKey = phoneHash(e.ctx.secrets.phone, phone);
  const phoneLimits = await takeLimits(
    e,
    [LIMITS.smsPerPhoneHour, LIMITS.smsPerPhoneDay],
    phoneKey.toString('hex'),
  );

  const code = sixDigitCode();
  const hash = otpHash(e.ctx.secrets.session, session.idHash, code);
  const data = openSessionData(e.ctx.sealer, session.idHash, session.dataSealed!);
  const otpExpiresAt = new Date(nowMs + OTP_SECONDS * 1000);
  const reserved = await e.store.transition(
    session.idHash,
    { state: session.state, otpSends: session.otpSends },
    STATE.otp,
    {
      phoneHash: phoneKey,
      otpHash: hash,
      otpExpiresAt,
      otpSentAt: now,
      otpSends: session.otpSends + 1,
      // Kept sealed only until the tx_code is texted to the same number (password step).
      dataSealed: sealSessionData(e.ctx.sealer, session.idHash, { ...data, phone }),
    },
    now,
  );
  if (!reserved) {
    await phoneLimits.release();
    // A concurrent send won (or the session ended meanwhile, which findSession reports).
    checkStep(await findSession(e, token), 'phone');
    throw throttled('otp_throttled', 'a code was sent a moment ago', OTP_RESEND_SECONDS);
  }

  try {
    await e.sms.send(phone, `【netid】验证码 ${code}，5分钟内有效，请勿告诉他人。Your netid code: ${code}`);
  } catch (error) {
    await phoneLimits.release();
    await e.store.transition(
      session.idHash,
      { state: STATE.otp, otpHash: hash },
      session.state,
      {
        phoneHash: copy(session.phoneHash),
        otpHash: session.otpHash,
        otpExpiresAt: session.otpExpiresAt,
        otpSentAt: session.otpSentAt,
        otpSends: session.otpSends,
        dataSealed: copy(session.dataSealed),
      },
      now,
    );
    throw error;
  }
  return {
    next: 'otp',
    otpExpiresAt: otpExpiresAt.toISOString(),
    resendAfter: new Date(nowMs + OTP_RESEND_SECONDS * 1000).toISOString(),
    sendsLeft: OTP_MAX_SENDS - session.otpSends - 1,
  };
}

const copy = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes));
