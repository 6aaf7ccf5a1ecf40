import { CERTIFICATE_VCT, isNetidError, verifySdJwt } from '@netid/protocol';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { liveCertificate } from '../selfservice/live-certificate.ts';
import type { SelfServiceStore } from '../selfservice/store.ts';

export interface VerifiedCertificate {
  netNumber: string;
  /** Every claim the issuer signed that the wallet disclosed. */
  claims: Record<string, unknown>;
}

const invalid = (detail: string) =>
  new Problem(400, 'invalid_presentation', 'the presentation is not valid', detail);

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
      keys: ctx.issuerKeys.keySet(),
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
  const certificate = await liveCertificate(ctx, store, claims, 400);
  return { netNumber: certificate.netNumber, claims };
}
