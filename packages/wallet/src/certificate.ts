import { decodeSdJwt, fail, maskNetNumber } from '@netid/protocol';

/** What the holder sees of one certificate, decoded (not verified: it is the holder's own). */
export interface CertificateSummary {
  issuer: string;
  vct: string;
  /** ISO 8601 dates. */
  issuedAt: string;
  expiresAt: string;
  /** Token Status List reference (draft-ietf-oauth-status-list §6.2), if the certificate has one. */
  statusIndex?: number;
  statusListUri?: string;
  /** Network number, masked: the whole one is disclosed only in presentations the holder approves. */
  netNumber?: string;
  /** The claims the holder can choose to disclose. */
  claims: string[];
}

export function summarizeCertificate(credential: string): CertificateSummary {
  const { payload, disclosures } = decodeSdJwt(credential);
  const { iss, vct, iat, exp, status } = payload;
  if (typeof iss !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
    return fail('ERR_MALFORMED', 'the certificate lacks iss, iat or exp');
  }
  const ref = (status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
  const netNumber = disclosures.find((d) => d.name === 'net_number')?.value;
  return {
    issuer: iss,
    vct: typeof vct === 'string' ? vct : '',
    issuedAt: new Date(iat * 1000).toISOString(),
    expiresAt: new Date(exp * 1000).toISOString(),
    ...(typeof ref?.idx === 'number' ? { statusIndex: ref.idx } : {}),
    ...(typeof ref?.uri === 'string' ? { statusListUri: ref.uri } : {}),
    ...(typeof netNumber === 'string' ? { netNumber: maskNetNumber(netNumber) } : {}),
    claims: disclosures.flatMap((d) => (d.name === undefined ? [] : [d.name])),
  };
}
