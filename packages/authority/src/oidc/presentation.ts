import {
  CERTIFICATE_VCT,
  isNetidError,
  isPlainObject,
  type Jwks,
  jwkThumbprint,
  KeySet,
  type PublicJwk,
  verifySdJwt,
} from '@netid/protocol';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { statusSlot } from '../selfservice/authenticate.ts';
import type { SelfServiceStore } from '../selfservice/store.ts';

export interface VerifiedCertificate {
  netNumber: string;
  /** Every claim the issuer signed that the wallet disclosed. */
  claims: Record<string, unknown>;
}

const invalid = (detail: string) =>
  new Problem(400, 'invalid_presentation', 'the presentation is not valid', detail);

// Importing keys costs more than verifying with them: keep one KeySet per published JWKS.
let cached: { jwks: Jwks; keys: KeySet } | undefined;
function keySet(ctx: AuthorityContext): KeySet {
  const jwks = ctx.issuerKeys.jwks();
  if (cached?.jwks !== jwks) cached = { jwks, keys: new KeySet(jwks) };
  return cached.keys;
}

/**
 * A network certificate presented to this authority: issuer signature, key binding over our nonce
 * and audience, and then our own records — the certificate row behind its status slot must be
 * this device key, not revoked (the holder is told why), and its person still active. The network
 * number comes from that row, so the wallet never has to disclose it to sign in.
 */
export async function verifyCertificatePresentation(
  ctx: AuthorityContext,
  store: SelfServiceStore,
  presentation: string,
  options: { nonce: string; maxAgeSeconds: number },
): Promise<VerifiedCertificate> {
  let claims: Record<string, unknown>;
  try {
    claims = verifySdJwt(presentation, {
      keys: keySet(ctx),
      keyBinding: {
        audience: ctx.config.publicUrl,
        nonce: options.nonce,
        maxAgeSeconds: options.maxAgeSeconds,
      },
      now: Math.floor(ctx.now() / 1000),
    }).claims;
  } catch (error) {
    if (isNetidError(error)) throw invalid(error.code);
    throw error;
  }
  if (claims.iss !== ctx.config.publicUrl || claims.vct !== CERTIFICATE_VCT) {
    throw invalid('not a network certificate of this authority');
  }
  const slot = statusSlot(ctx, claims);
  const certificate = slot && (await store.findCertificateBySlot(slot.shard, slot.index));
  const cnf = isPlainObject(claims.cnf) ? claims.cnf.jwk : undefined;
  if (
    !certificate ||
    !isPlainObject(cnf) ||
    certificate.deviceThumbprint !== jwkThumbprint(cnf as unknown as PublicJwk) ||
    (typeof claims.net_number === 'string' && claims.net_number !== certificate.netNumber)
  ) {
    throw new Problem(400, 'certificate_unknown', 'the presented certificate is not known');
  }
  if (certificate.revokedAt) {
    throw new Problem(400, 'certificate_revoked', 'the presented certificate is revoked', undefined, {
      revocation_reason: certificate.revocationReason,
      revoked_at: certificate.revokedAt.toISOString(),
    });
  }
  if ((await store.personState(certificate.netNumber)) !== 'active') {
    throw new Problem(400, 'person_inactive', 'this network number is cancelled');
  }
  return { netNumber: certificate.netNumber, claims };
}
