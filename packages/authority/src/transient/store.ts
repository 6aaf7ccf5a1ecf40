/**
 * Minutes-long state (pushed authorization requests, interactions, codes, wallet requests,
 * application-credential offers), kept in the UNLOGGED `transient` table: deleted when used or
 * expired, never durable, never replicated. Each record is one `kind` + `id`.
 */
export interface TransientRecord {
  payload: Record<string, unknown>;
  expiresAt: Date;
  consumedAt: Date | null;
}

export interface TransientStore {
  /** Inserts or replaces. `grantId`, `uid` and `userCode` are lookup keys taken from the caller. */
  upsert(
    kind: string,
    id: string,
    payload: Record<string, unknown>,
    expiresAt: Date,
    keys?: { grantId?: string; uid?: string; userCode?: string },
  ): Promise<void>;
  /** Unexpired records only. */
  find(kind: string, id: string, now: Date): Promise<TransientRecord | undefined>;
  findByUid(kind: string, uid: string, now: Date): Promise<(TransientRecord & { id: string }) | undefined>;
  findByUserCode(
    kind: string,
    userCode: string,
    now: Date,
  ): Promise<(TransientRecord & { id: string }) | undefined>;
  /** Marks used (oidc-provider keeps consumed codes to detect replay). */
  consume(kind: string, id: string, now: Date): Promise<void>;
  /**
   * Atomically takes a record that is unexpired and unconsumed, deleting it: the single use of a
   * wallet request or an offer. Undefined when it was already taken, expired or never existed.
   */
  take(kind: string, id: string, now: Date): Promise<Record<string, unknown> | undefined>;
  destroy(kind: string, id: string): Promise<void>;
  /** Every record of every kind carrying this grant (logout, code replay). */
  revokeByGrantId(grantId: string): Promise<void>;
  /** Deletes expired records; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
