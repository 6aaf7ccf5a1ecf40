/**
 * What holder self-service needs from storage. Nothing here records that a holder authenticated
 * (DESIGN.md guarantee 2): a challenge is a nonce linked to nobody, deleted when it is used.
 */

/** A certificate as its holder sees it in the device list. */
export interface DeviceCertificate {
  certificateId: string;
  netNumber: string;
  deviceThumbprint: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
}

/** One operator read of a person's record (guarantee 6). */
export interface AccessEntry {
  at: Date;
  actor: string;
  reason: string;
  detail: string | null;
}

/** The outcome of reserving one password attempt before the password is checked. */
export type PasswordReservation =
  | { kind: 'locked'; until: Date }
  | { kind: 'no_password' }
  /** `failures` counts this attempt; `lockedUntil` is set when this attempt was the last allowed. */
  | { kind: 'reserved'; passwordHash: string; failures: number; lockedUntil: Date | null };

export interface PasswordPolicy {
  maxFailures: number;
  lockMs: number;
}

export interface SelfServiceStore {
  /** Stores a challenge, and drops expired ones of the same purpose while at it. */
  insertChallenge(nonce: string, expiresAt: Date, now: Date): Promise<void>;
  /** Deletes the challenge if it is live; true when this call consumed it. */
  consumeChallenge(nonce: string, now: Date): Promise<boolean>;
  findCertificateBySlot(shard: number, index: number): Promise<DeviceCertificate | undefined>;
  findCertificate(certificateId: string): Promise<DeviceCertificate | undefined>;
  /** `active`, `cancelled`, or undefined for an unknown number. */
  personState(netNumber: string): Promise<string | undefined>;
  listCertificates(netNumber: string): Promise<DeviceCertificate[]>;
  /**
   * Counts one password attempt BEFORE the password is checked (so parallel guesses cannot exceed
   * the limit), under a row lock. A lock that has run out starts a fresh count.
   */
  reservePasswordAttempt(netNumber: string, now: Date, policy: PasswordPolicy): Promise<PasswordReservation>;
  /** The right password was given: the count starts again. */
  clearPasswordFailures(netNumber: string): Promise<void>;
  /**
   * In one transaction: revokes every live certificate of the person (`reason`), erases attributes
   * and password hash, and marks the person cancelled, keeping the row (and its dedupe hash) as a
   * tombstone. Returns how many certificates this call revoked; undefined when not active.
   */
  cancel(netNumber: string, reason: string, at: Date): Promise<number | undefined>;
  accessLog(netNumber: string): Promise<AccessEntry[]>;
}
