import { isNetidError, parseJws, verifySdJwt } from '@netid/protocol';
import type { Context } from 'hono';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { CERTIFICATE_VCT } from '../issuance/metadata.ts';
import { liveCertificate } from './live-certificate.ts';
import type { DeviceCertificate, SelfServiceStore } from './store.ts';

/** How long a challenge lives, and so how old a presentation may be. */
export const CHALLENGE_SECONDS = 120;

/** The holder a request was made by, as proven by a fresh presentation of a live certificate. */
export interface Holder {
  netNumber: string;
  /** The certificate presented: "this device" in the device list. */
  certificate: DeviceCertificate;
}

const unauthorized = (code: string, title: string, detail?: string) => new Problem(401, code, title, detail);

/** `Authorization: NetID <presentation>`; the scheme name is case-insensitive (RFC 9110 §11.1). */
function presentationFrom(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  const match = /^netid[ ]+([A-Za-z0-9_.~-]+)$/i.exec(header.trim());
  if (!match) {
    throw unauthorized(
      'authentication_required',
      'self-service needs a fresh certificate presentation',
      'send Authorization: NetID <presentation> with a KB-JWT over a challenge from POST /selfservice/challenge',
    );
  }
  return match[1]!;
}

/** The nonce the KB-JWT claims; verification then checks it is signed, and consumption that it is ours. */
function claimedNonce(presentation: string): string {
  const kb = presentation.slice(presentation.lastIndexOf('~') + 1);
  if (kb === '')
    throw unauthorized('invalid_presentation', 'the presentation is not valid', 'ERR_KB_MISSING');
  const nonce = parseJws(kb, 'KB-JWT').payload.nonce;
  if (typeof nonce !== 'string' || nonce === '') {
    throw unauthorized('invalid_presentation', 'the presentation is not valid', 'the KB-JWT has no nonce');
  }
  return nonce;
}

/**
 * Authenticates a self-service request: the holder's network certificate, presented with
 * `net_number` disclosed and a KB-JWT for this authority over a live challenge. The challenge is
 * consumed (deleted) — that is the only write, and it names nobody (guarantee 2).
 */
export async function authenticateHolder(
  ctx: AuthorityContext,
  store: SelfServiceStore,
  c: Context,
): Promise<Holder> {
  const presentation = presentationFrom(c);
  let claims: Record<string, unknown>;
  let nonce: string;
  try {
    nonce = claimedNonce(presentation);
    claims = verifySdJwt(presentation, {
      keys: ctx.issuerKeys.keySet(),
      keyBinding: { audience: ctx.config.publicUrl, nonce, maxAgeSeconds: CHALLENGE_SECONDS },
      now: Math.floor(ctx.now() / 1000),
    }).claims;
  } catch (error) {
    if (isNetidError(error)) {
      throw unauthorized('invalid_presentation', 'the presentation is not valid', error.code);
    }
    throw error;
  }
  if (claims.iss !== ctx.config.publicUrl || claims.vct !== CERTIFICATE_VCT) {
    throw unauthorized(
      'invalid_presentation',
      'the presentation is not a network certificate of this authority',
    );
  }
  const netNumber = claims.net_number;
  if (typeof netNumber !== 'string') {
    throw unauthorized('invalid_presentation', 'the presentation must disclose net_number');
  }
  if (!(await store.consumeChallenge(nonce, new Date(ctx.now())))) {
    throw unauthorized('challenge_invalid', 'the challenge is unknown, used or expired', 'ask for a new one');
  }
  const certificate = await liveCertificate(ctx, store, claims, 401);
  return { netNumber, certificate };
}
