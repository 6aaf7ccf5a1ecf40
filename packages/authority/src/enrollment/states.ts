/**
 * The enrollment session's states, in order. Each step's endpoint accepts the session only in the
 * states listed for it; `issuable` hands over to issuance (`token_issued`, then `issued`).
 */
export const STATE = {
  document: 'document',
  phone: 'phone',
  otp: 'otp',
  password: 'password',
  issuable: 'issuable',
  /** Under 14: stops here until a guardian approves from their own wallet (not built yet). */
  guardianRequired: 'guardian_required',
  /** Too many wrong one-time codes: the session is dead. */
  locked: 'locked',
} as const;

export type Step = 'document' | 'phone' | 'otp' | 'password';

/** What the client should do next in each state (the `next` field of every answer). */
export function nextStep(state: string): string | null {
  switch (state) {
    case STATE.document:
    case STATE.phone:
    case STATE.otp:
    case STATE.password:
      return state;
    case STATE.issuable:
      return 'issue';
    case STATE.guardianRequired:
      return 'guardian';
    default:
      return null;
  }
}

/** The states in which each step may be taken. The phone step is also the resend (and number change). */
export const ACCEPTS: Record<Step, readonly string[]> = {
  document: [STATE.document],
  phone: [STATE.phone, STATE.otp],
  otp: [STATE.otp],
  password: [STATE.password],
};

export const SESSION_SECONDS = 30 * 60;
export const OTP_SECONDS = 5 * 60;
export const OTP_RESEND_SECONDS = 60;
export const OTP_MAX_SENDS = 5;
export const OTP_MAX_ATTEMPTS = 5;
/** Below this age a guardian must approve (DESIGN.md flow 1). */
export const GUARDIAN_AGE = 14;
