/**
 * What enrollment needs from storage. A session is found by the keyed hash of its token only; every
 * state change is one guarded UPDATE, so two concurrent requests cannot both move a session on.
 */

export interface EnrollmentSession {
  idHash: Buffer;
  state: string;
  expiresAt: Date;
  /** Sealed `SessionData` (context `enrollment:<hex idHash>`); null before the document step. */
  dataSealed: Uint8Array | null;
  phoneHash: Uint8Array | null;
  otpHash: string | null;
  otpExpiresAt: Date | null;
  otpSentAt: Date | null;
  otpSends: number;
  otpAttempts: number;
}

/** Columns a transition may set; `undefined` leaves a column as it is, `null` clears it. */
export interface SessionChanges {
  dataSealed?: Buffer | null;
  phoneHash?: Buffer | null;
  otpHash?: string | null;
  otpExpiresAt?: Date | null;
  otpSentAt?: Date | null;
  otpSends?: number;
  passwordHash?: string | null;
  preAuthorizedCodeHash?: Buffer | null;
  txCodeHash?: string | null;
}

/** What the session must still be for a transition to apply (besides not expired at `now`). */
export interface SessionGuard {
  state: string;
  otpSends?: number;
  otpHash?: string;
}

export interface OtpCheck {
  /** The state after this attempt: `verified`, `locked`, or unchanged. */
  state: string;
  attempts: number;
}

/**
 * Fixed-window counters for the abuse limits. A counter is a keyed hash, a window and a count —
 * nothing that says whose or what for — and is deleted once its window has ended.
 */
export interface RateLimitStore {
  /**
   * Counts one use in the window unless `limit` uses are counted there already (one atomic upsert,
   * so parallel requests cannot exceed it); false when refused. Deletes windows ended by `now` first.
   */
  take(keyHash: Buffer, window: { start: Date; end: Date }, limit: number, now: Date): Promise<boolean>;
  /** Gives one counted use back (the request it was taken for did not happen after all). */
  release(keyHash: Buffer, windowStart: Date): Promise<void>;
}

export interface EnrollmentStore {
  create(session: { idHash: Buffer; state: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  find(idHash: Buffer): Promise<EnrollmentSession | undefined>;
  /** Moves the session from `guard.state` to `to` with `changes`; false when the guard no longer holds. */
  transition(
    idHash: Buffer,
    guard: SessionGuard,
    to: string,
    changes: SessionChanges,
    now: Date,
  ): Promise<boolean>;
  /**
   * One OTP attempt, counted and decided in the same UPDATE: when `candidateHash` equals the stored
   * hash the session moves to `states.verified` (and the hash is spent), otherwise the attempt is
   * counted and the `maxAttempts`-th wrong one moves it to `states.locked`. Undefined when the session
   * was not in `states.from` with a live OTP and attempts left.
   */
  checkOtp(
    idHash: Buffer,
    candidateHash: string,
    options: { maxAttempts: number; now: Date; states: { from: string; verified: string; locked: string } },
  ): Promise<OtpCheck | undefined>;
}
