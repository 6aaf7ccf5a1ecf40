import { fail } from '@netid/protocol/errors';
import { isPlainObject } from '@netid/protocol/json';
import type { Holder } from '../holder/holder.ts';
import { presentCredential } from '../holder/sdjwt.ts';
import { callAuthority } from '../net/authority.ts';

/**
 * Self-service (DESIGN.md): each call takes a fresh challenge and presents the certificate with
 * only `net_number` disclosed, bound to the authority and that challenge. Same API as the CLI's
 * `netid wallet devices|revoke|cancel|access-log`.
 */
export async function holderRequest(
  holder: Holder,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const { nonce } = await callAuthority(holder.authority, 'POST', '/selfservice/challenge');
  if (typeof nonce !== 'string' || nonce === '') fail('ERR_MALFORMED', 'the challenge has no nonce');
  const presentation = await presentCredential(holder.credential, ['net_number'], holder.key, {
    audience: holder.authority,
    nonce: nonce as string,
  });
  return callAuthority(holder.authority, method, path, {
    authorization: `NetID ${presentation}`,
    ...(body === undefined ? {} : { body }),
  });
}

export interface Device {
  id: string;
  issuedAt: string;
  expiresAt: string;
  revoked: boolean;
  revokedAt?: string;
  revocationReason?: string;
  thisDevice: boolean;
}

export interface AccessLogEntry {
  at: string;
  actor: string;
  reason: string;
  detail?: string;
}

const items = (answer: Record<string, unknown>, field: string) => {
  const list = answer[field];
  if (!Array.isArray(list) || !list.every(isPlainObject)) fail('ERR_MALFORMED', `no ${field} in the answer`);
  return list as Record<string, unknown>[];
};
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function listDevices(holder: Holder): Promise<Device[]> {
  return items(await holderRequest(holder, 'GET', '/selfservice/devices'), 'devices').map((d) => ({
    id: String(d.id),
    issuedAt: String(d.issued_at),
    expiresAt: String(d.expires_at),
    revoked: d.revoked === true,
    ...(str(d.revoked_at) ? { revokedAt: str(d.revoked_at)! } : {}),
    ...(str(d.revocation_reason) ? { revocationReason: str(d.revocation_reason)! } : {}),
    thisDevice: d.this_device === true,
  }));
}

export async function revokeDevice(
  holder: Holder,
  id: string,
  reason: 'lost_device' | 'holder_request',
  password: string,
): Promise<void> {
  await holderRequest(holder, 'POST', `/selfservice/certificates/${encodeURIComponent(id)}/revoke`, {
    password,
    reason,
  });
}

export async function cancelNetNumber(holder: Holder, password: string): Promise<number> {
  const answer = await holderRequest(holder, 'POST', '/selfservice/cancel', { password });
  return typeof answer.revoked_certificates === 'number' ? answer.revoked_certificates : 0;
}

export async function readAccessLog(holder: Holder): Promise<AccessLogEntry[]> {
  return items(await holderRequest(holder, 'GET', '/selfservice/access-log'), 'entries').map((e) => ({
    at: String(e.at),
    actor: String(e.actor),
    reason: String(e.reason),
    ...(str(e.detail) ? { detail: str(e.detail)! } : {}),
  }));
}
