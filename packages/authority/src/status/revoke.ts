import type { Db } from '../db/database.ts';
import { Problem } from '../http/problem.ts';
import { sqlStatusStore } from '../sql/status.ts';

/**
 * The only reasons a certificate can be revoked (DESIGN.md guarantee 5). Each is shown to the holder;
 * none is a platform's to give, so there is no "platform report" or free-text reason.
 */
export const REVOCATION_REASONS = [
  'holder_request',
  'lost_device',
  'reissued',
  'document_invalidated',
  'deceased',
  'enrollment_fraud',
] as const;

export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export function isRevocationReason(value: unknown): value is RevocationReason {
  return typeof value === 'string' && (REVOCATION_REASONS as readonly string[]).includes(value);
}

export interface RevocationResult {
  certificateId: string;
  shard: number;
  index: number;
  /** The first revocation's time and reason: revoking again changes neither. */
  revokedAt: Date;
  reason: RevocationReason;
  alreadyRevoked: boolean;
}

/**
 * Revokes a certificate: sets its revocation time and reason and bumps its shard's version, in one
 * transaction (the caller's, when `db` already is one), so the publisher never sees one without
 * the other. Idempotent. The published list shows it after the next publisher run.
 */
export async function revokeCertificate(
  db: Db,
  certificateId: string,
  reason: RevocationReason,
  at: Date,
): Promise<RevocationResult> {
  if (!isRevocationReason(reason)) {
    throw new Problem(
      400,
      'invalid_reason',
      'unknown revocation reason',
      `allowed: ${REVOCATION_REASONS.join(', ')}`,
    );
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new Problem(400, 'invalid_request', 'the revocation time is not a valid date');
  }
  const work = (trx: Db) => sqlStatusStore(trx).revoke(certificateId, reason, at);
  const result = db.isTransaction ? await work(db) : await db.transaction().execute(work);
  if (!result) throw new Problem(404, 'certificate_not_found', 'no such certificate');
  return { ...result, reason: result.reason as RevocationReason };
}

/** The JSON answer of every route that revokes: holder self-service and the operator alike. */
export function revocationBody(result: RevocationResult) {
  return {
    id: result.certificateId,
    revoked_at: result.revokedAt.toISOString(),
    revocation_reason: result.reason,
    already_revoked: result.alreadyRevoked,
  };
}
