import { fail } from '@netid/protocol/errors';
import { isPlainObject } from '@netid/protocol/json';
import { type HolderProof, holderRequest } from './holder-proof.ts';

// Self-service as both wallets call it (browser-safe): the CLI's `netid wallet devices|revoke|cancel|
// access-log` and the web wallet's screens.

/** The reasons a holder may give when revoking (the authority's `HOLDER_REVOCATION_REASONS`). */
export const HOLDER_REVOCATION_REASONS = ['lost_device', 'holder_request'] as const;
export type HolderRevocationReason = (typeof HOLDER_REVOCATION_REASONS)[number];

/** One of my certificates, as `GET /selfservice/devices` lists it. */
export interface Device {
  id: string;
  issuedAt: string;
  expiresAt: string;
  revoked: boolean;
  revokedAt?: string;
  revocationReason?: string;
  /** The certificate this wallet presented. */
  thisDevice: boolean;
}

/** One operator read of my record, as `GET /selfservice/access-log` lists it. */
export interface AccessLogEntry {
  at: string;
  actor: string;
  reason: string;
  detail?: string;
}

export interface Revoked {
  id: string;
  revokedAt: string;
  reason: string;
  alreadyRevoked: boolean;
}

const malformed = (what: string) => fail('ERR_MALFORMED', `the authority's ${what} is not as expected`);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function list(answer: Record<string, unknown>, field: string, what: string): Record<string, unknown>[] {
  const items = answer[field];
  if (!Array.isArray(items) || !items.every(isPlainObject)) return malformed(what);
  return items;
}

export async function listDevices(holder: HolderProof): Promise<Device[]> {
  const answer = await holderRequest(holder, 'GET', '/selfservice/devices');
  return list(answer, 'devices', 'device list').map((d) => {
    const id = str(d.id);
    const issuedAt = str(d.issued_at);
    const expiresAt = str(d.expires_at);
    if (!id || !issuedAt || !expiresAt || typeof d.revoked !== 'boolean') return malformed('device list');
    const revokedAt = str(d.revoked_at);
    const revocationReason = str(d.revocation_reason);
    return {
      id,
      issuedAt,
      expiresAt,
      revoked: d.revoked,
      ...(revokedAt ? { revokedAt } : {}),
      ...(revocationReason ? { revocationReason } : {}),
      thisDevice: d.this_device === true,
    };
  });
}

export async function revokeDevice(
  holder: HolderProof,
  certificateId: string,
  reason: HolderRevocationReason,
  password: string,
): Promise<Revoked> {
  const answer = await holderRequest(
    holder,
    'POST',
    `/selfservice/certificates/${encodeURIComponent(certificateId)}/revoke`,
    { password, reason },
  );
  const id = str(answer.id);
  const revokedAt = str(answer.revoked_at);
  const revocationReason = str(answer.revocation_reason);
  if (!id || !revokedAt || !revocationReason) return malformed('revocation answer');
  return { id, revokedAt, reason: revocationReason, alreadyRevoked: answer.already_revoked === true };
}

/** Cancels the network number; answers how many certificates were revoked with it. */
export async function cancelNetNumber(holder: HolderProof, password: string): Promise<number> {
  const answer = await holderRequest(holder, 'POST', '/selfservice/cancel', { password });
  if (answer.state !== 'cancelled' || typeof answer.revoked_certificates !== 'number') {
    return malformed('cancellation answer');
  }
  return answer.revoked_certificates;
}

export async function readAccessLog(holder: HolderProof): Promise<AccessLogEntry[]> {
  const answer = await holderRequest(holder, 'GET', '/selfservice/access-log');
  return list(answer, 'entries', 'access log').map((e) => {
    const at = str(e.at);
    const actor = str(e.actor);
    const reason = str(e.reason);
    if (!at || !actor || !reason) return malformed('access log');
    const detail = str(e.detail);
    return { at, actor, reason, ...(detail ? { detail } : {}) };
  });
}
