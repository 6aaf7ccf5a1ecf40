import { isPlainObject, jwkThumbprint, type PublicJwk } from '@netid/protocol';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { statusListUri } from '../status/allocate.ts';
import type { DeviceCertificate, SelfServiceStore } from './store.ts';

/** The (shard, index) the certificate's status reference names, if it names one of our lists. */
function statusSlot(ctx: AuthorityContext, claims: Record<string, unknown>) {
  const ref = isPlainObject(claims.status) ? claims.status.status_list : undefined;
  if (!isPlainObject(ref) || typeof ref.uri !== 'string' || !Number.isSafeInteger(ref.idx)) return undefined;
  const prefix = `${ctx.config.publicUrl}/status/`;
  if (!ref.uri.startsWith(prefix)) return undefined;
  const shard = Number(ref.uri.slice(prefix.length));
  if (!Number.isSafeInteger(shard) || statusListUri(ctx, shard) !== ref.uri) return undefined;
  return { shard, index: ref.idx as number };
}

/**
 * After a presentation's signatures are verified, our own records: the certificate row behind its
 * status slot must be this very certificate (same device key, and the same person when the network
 * number was disclosed), not revoked, and its person still active. Self-service answers 401, the
 * wallet-facing sign-in endpoints 400; the codes are the same.
 */
export async function liveCertificate(
  ctx: AuthorityContext,
  store: SelfServiceStore,
  claims: Record<string, unknown>,
  status: 400 | 401,
): Promise<DeviceCertificate> {
  const slot = statusSlot(ctx, claims);
  const certificate = slot && (await store.findCertificateBySlot(slot.shard, slot.index));
  const cnf = isPlainObject(claims.cnf) ? claims.cnf.jwk : undefined;
  if (
    !certificate ||
    (typeof claims.net_number === 'string' && certificate.netNumber !== claims.net_number) ||
    !isPlainObject(cnf) ||
    certificate.deviceThumbprint !== jwkThumbprint(cnf as unknown as PublicJwk)
  ) {
    throw new Problem(status, 'certificate_unknown', 'the presented certificate is not known');
  }
  // Guarantee 5: a revocation is shown to the holder with its reason. The key binding proved this
  // caller holds the device key, so the reason goes to the holder and no one else.
  if (certificate.revokedAt) {
    throw new Problem(status, 'certificate_revoked', 'the presented certificate is revoked', undefined, {
      revocation_reason: certificate.revocationReason,
      revoked_at: certificate.revokedAt.toISOString(),
    });
  }
  if ((await store.personState(certificate.netNumber)) !== 'active') {
    throw new Problem(status, 'person_inactive', 'this network number is cancelled');
  }
  return certificate;
}
