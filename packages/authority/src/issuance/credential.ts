import { importPublicJwk, isPlainObject, jwkThumbprint, type PublicJwk } from '@netid/protocol';
import type { Context } from 'hono';
import type { AuthorityContext } from '../context.ts';
import type { ApplicationGrant, ApplicationGrants } from './application-grant.ts';
import { issueApplicationCredential } from './issue-application-credential.ts';
import { issueCertificate } from './issue-certificate.ts';
import { APPLICATION_CONFIGURATION_ID, CERTIFICATE_CONFIGURATION_ID, type Oid4vc } from './metadata.ts';
import { C_NONCE_PURPOSE } from './nonce.ts';
import { bearerError, NO_STORE, oauthError } from './oauth-errors.ts';
import { accessTokenHash } from './secrets.ts';
import type { IssuanceStore } from './store.ts';

const CONFIGURATION_IDS: readonly string[] = [CERTIFICATE_CONFIGURATION_ID, APPLICATION_CONFIGURATION_ID];
const unknownConfiguration = () =>
  oauthError('unknown_credential_configuration', `only ${CONFIGURATION_IDS.join(' and ')} are issued`);

/** What an access token was granted for: the enrollment's certificate, or one application credential. */
type Granted = { kind: 'certificate' } | { kind: 'application'; grant: ApplicationGrant };

async function grantedBy(
  store: IssuanceStore,
  grants: ApplicationGrants,
  tokenHash: Buffer,
  now: Date,
): Promise<Granted | undefined> {
  if (await store.isAccessTokenLive(tokenHash, now)) return { kind: 'certificate' };
  const grant = await grants.findToken(tokenHash, now);
  return grant && { kind: 'application', grant };
}

/** A proof older than this was not made for this request (OID4VCI 1.0 Appendix F.1 requires `iat`). */
const PROOF_MAX_AGE_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 60;

/**
 * POST /credential (OID4VCI 1.0 §8): one network certificate for the device key that signed the
 * proof, or one application credential for the device key that authenticated for its offer. Checks
 * run from cheapest to most final: the access token, the request shape, the proof's signature and
 * claims, and only then the nonce is spent, so a broken request burns nothing.
 */
export function credentialHandler(
  ctx: AuthorityContext,
  oid4vc: Oid4vc,
  store: IssuanceStore,
  grants: ApplicationGrants,
) {
  return async (c: Context): Promise<Response> => {
    const now = new Date(ctx.now());
    const tokenHash = accessTokenHash(ctx.secrets.session, bearerToken(c));
    const granted = await grantedBy(store, grants, tokenHash, now);
    if (!granted) throw bearerError('the access token is unknown, expired or already used');

    const body = await readJson(c);
    // OID4VCI 1.0 §8.2 replaced the single `proof` by `proofs`; the library still accepts both.
    if ('proof' in body)
      throw oauthError('invalid_credential_request', 'use proofs, not proof (OID4VCI 1.0)');
    // §8.3.1.2 has a code of its own for this; the library would fold it into invalid_credential_request.
    const id = body.credential_configuration_id;
    if (typeof id === 'string' && !CONFIGURATION_IDS.includes(id)) throw unknownConfiguration();
    const request = oid4vc.issuer.parseCredentialRequest({
      issuerMetadata: oid4vc.issuerMetadata,
      credentialRequest: body,
    });
    const requested = request.credentialConfigurationId;
    if (requested === undefined || !CONFIGURATION_IDS.includes(requested)) {
      throw request.credentialIdentifier !== undefined
        ? oauthError('unknown_credential_identifier', 'credential_identifier is not used by this issuer')
        : unknownConfiguration();
    }
    const grantedId =
      granted.kind === 'certificate' ? CERTIFICATE_CONFIGURATION_ID : APPLICATION_CONFIGURATION_ID;
    if (requested !== grantedId) {
      throw oauthError('invalid_credential_request', `this access token was granted for ${grantedId}`);
    }
    // No batch issuance: one credential per device key, so exactly one proof.
    const jwts = request.proofs?.jwt;
    const jwt = jwts?.length === 1 ? jwts[0] : undefined;
    if (jwt === undefined) throw oauthError('invalid_proof', 'exactly one jwt proof is required');

    const proof = await verifyProof(oid4vc, jwt, now);
    const deviceThumbprint = jwkThumbprint(proof.jwk);
    // An application credential goes to the device that authenticated for it, and to no other key.
    if (granted.kind === 'application' && deviceThumbprint !== granted.grant.deviceThumbprint) {
      throw oauthError(
        'invalid_proof',
        'the proof must be signed by the device key that asked for the offer',
      );
    }
    if (proof.nonce === undefined || !(await store.consumeNonce(proof.nonce, C_NONCE_PURPOSE, now))) {
      throw oauthError('invalid_nonce', 'the proof nonce is unknown, expired or already used; get a new one');
    }

    const issue = { accessTokenHash: tokenHash, deviceJwk: proof.jwk, deviceThumbprint, now };
    const credential =
      granted.kind === 'certificate'
        ? await issueCertificate(ctx, store, issue)
        : await issueApplicationCredential(ctx, grants, issue);
    if (credential === undefined) throw bearerError('the access token is unknown, expired or already used');
    const response = oid4vc.issuer.createCredentialResponse({
      credentialRequest: request,
      credentials: [{ credential }],
    });
    return c.json(response, 200, NO_STORE);
  };
}

/**
 * The library checks `typ`, `aud` (= our issuer identifier), `exp`/`nbf` and the signature through
 * our verifyJwt callback; we add what it leaves to the issuer: the key must be in the `jwk` header
 * (OID4VCI 1.0 Appendix F.1 allows kid/x5c too, but a device key has no other home), `iat` must be
 * recent, and the key must be one we accept.
 */
async function verifyProof(
  oid4vc: Oid4vc,
  jwt: string,
  now: Date,
): Promise<{ jwk: PublicJwk; nonce: string | undefined }> {
  const { header, payload } = await oid4vc.issuer.verifyCredentialRequestJwtProof({
    issuerMetadata: oid4vc.issuerMetadata,
    jwt,
    now,
  });
  if (!header.jwk) throw oauthError('invalid_proof', 'the proof must carry the device key in its jwk header');
  const seconds = Math.floor(now.getTime() / 1000);
  if (payload.iat > seconds + CLOCK_SKEW_SECONDS)
    throw oauthError('invalid_proof', 'the proof iat is in the future');
  if (payload.iat < seconds - PROOF_MAX_AGE_SECONDS)
    throw oauthError('invalid_proof', 'the proof is too old');
  const { jwk } = importPublicJwk(header.jwk);
  return { jwk, nonce: typeof payload.nonce === 'string' ? payload.nonce : undefined };
}

/** RFC 6750 §2.1. Anything but one Bearer token is treated as no token. */
function bearerToken(c: Context): string {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(c.req.header('authorization') ?? '');
  if (!match) throw bearerError();
  return match[1]!;
}

async function readJson(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw oauthError('invalid_credential_request', 'the credential request must be application/json');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw oauthError('invalid_credential_request', 'the credential request is not valid JSON');
  }
  if (!isPlainObject(body))
    throw oauthError('invalid_credential_request', 'the credential request is not an object');
  return body;
}
