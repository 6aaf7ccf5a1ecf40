import {
  APPLICATION_QUERY_ID,
  APPLICATION_VCT,
  decodeSdJwt,
  fail,
  isNetidError,
  isPlainObject,
  parseJws,
} from '@netid/protocol';
import type { Verifier } from '@netid/verifier';
import type { Outcome, PendingRequest, Refusal } from './book.ts';

/** What the counter asks for: who the person is, and their network number. */
export const COUNTER_CLAIMS = ['name', 'net_number'] as const;

/** The verifier's error codes, as the clerk's reasons. Anything not listed is simply "invalid". */
const REASONS: Partial<Record<string, Refusal>> = {
  ERR_HOLDER_DECLINED: 'declined',
  ERR_WRONG_PLATFORM: 'wrong_platform',
  // A key binding addressed to someone else: made for another platform.
  ERR_KB_AUD_MISMATCH: 'wrong_platform',
  ERR_REQUEST_EXPIRED: 'expired',
  ERR_JWT_EXPIRED: 'expired',
  ERR_KB_IAT_INVALID: 'expired',
  ERR_MALFORMED: 'malformed',
  ERR_INPUT_TOO_LARGE: 'malformed',
  ERR_SD_DISCLOSURE_MALFORMED: 'malformed',
  ERR_KB_MISSING: 'malformed',
};

export function refusalOf(error: unknown): Outcome & { status: 'refused' } {
  if (!isNetidError(error)) throw error;
  return {
    status: 'refused',
    reason: REASONS[error.code] ?? 'invalid',
    detail: `${error.code}: ${error.message}`,
  };
}

function verified(appId: string, claims: Record<string, unknown>): Outcome {
  return {
    status: 'verified',
    appId,
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    ...(typeof claims.net_number === 'string' ? { netNumber: claims.net_number } : {}),
  };
}

/**
 * The wallet's `direct_post` answer to one of our requests, verified by @netid/verifier from
 * memory: no request to the authority (DESIGN.md guarantee 3).
 */
export async function verifyAnswer(
  verifier: Verifier,
  body: URLSearchParams,
  request: PendingRequest,
  clientId: string,
): Promise<Outcome> {
  try {
    // The form the wallet would have posted, had we asked: the same checks for an application
    // credential (this platform, a day at most, no status) apply, with the wallet's nonce as state.
    const result = await verifier.verifyResponse(body, {
      nonce: request.nonce,
      state: request.state,
      clientId,
      expiresAt: request.expiresAt,
    });
    return verified(result.appId, result.claims);
  } catch (error) {
    return refusalOf(error);
  }
}

/** A presentation made for the counter on the spot (a wallet's dynamic QR code) is fresh for this long. */
export const ONSITE_MAX_AGE_SECONDS = 120;
const MAX_PASTE = 64 * 1024;

/** Nonces of on-site presentations already accepted, kept until they could no longer pass anyway. */
export interface ReplayGuard {
  /** True the first time, false when this nonce was accepted before. */
  accept(nonce: string, until: number): boolean;
}

export function createReplayGuard(now: () => number = Date.now): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    accept(nonce, until) {
      const t = now() / 1000;
      for (const [n, u] of seen) if (u < t) seen.delete(n);
      if (seen.has(nonce)) return false;
      seen.set(nonce, until);
      return true;
    },
  };
}

/** The pasted text: the bare presentation, or the `vp_token` object a wallet would have posted. */
function presentationIn(pasted: string): string {
  const text = pasted.trim();
  if (text.length > MAX_PASTE) fail('ERR_INPUT_TOO_LARGE', 'the pasted text is too large');
  if (!text.startsWith('{')) return text;
  let token: unknown;
  try {
    token = JSON.parse(text);
  } catch {
    return fail('ERR_MALFORMED', 'the pasted text is neither a presentation nor a vp_token');
  }
  const entries = isPlainObject(token) ? token[APPLICATION_QUERY_ID] : undefined;
  if (!Array.isArray(entries) || entries.length !== 1 || typeof entries[0] !== 'string') {
    return fail('ERR_MALFORMED', `a vp_token here carries one presentation under "${APPLICATION_QUERY_ID}"`);
  }
  return entries[0];
}

/**
 * An on-site check: a presentation of this counter's application credential that the person's wallet
 * made without a request from us (its dynamic QR code), so the wallet chose the nonce. What makes it
 * safe to accept is then: the key binding is addressed to this counter, at most two minutes old, and
 * its nonce is accepted once only. The rest is the verifier's usual offline check.
 */
export async function checkOnSite(
  verifier: Verifier,
  pasted: string,
  clientId: string,
  replay: ReplayGuard,
): Promise<Outcome> {
  try {
    const presentation = presentationIn(pasted);
    // Read before verifying only to refuse early with a clearer reason; nothing is accepted from it.
    const { payload, keyBindingJwt } = decodeSdJwt(presentation);
    if (payload.vct !== APPLICATION_VCT) {
      return {
        status: 'refused',
        reason: 'not_application',
        detail: `vct ${String(payload.vct)}`,
      };
    }
    if (payload.client_id !== clientId) fail('ERR_WRONG_PLATFORM', 'made for another platform');
    if (!keyBindingJwt) fail('ERR_KB_MISSING', 'the presentation is not key-bound');
    const { nonce, iat } = parseJws(keyBindingJwt, 'KB-JWT').payload;
    if (typeof nonce !== 'string' || nonce.length < 16 || nonce.length > 256) {
      fail('ERR_MALFORMED', 'an on-site presentation carries a random nonce of 16 to 256 characters');
    }
    // The form the wallet would have posted, had we asked: the same checks for an application
    // credential (this platform, a day at most, no status) apply, with the wallet's nonce as state.
    const result = await verifier.verifyResponse(
      { state: nonce, vp_token: JSON.stringify({ [APPLICATION_QUERY_ID]: [presentation] }) },
      { nonce, state: nonce, clientId, maxKeyBindingAgeSeconds: ONSITE_MAX_AGE_SECONDS },
    );
    // Accepted once: a photo of someone's QR code shown again is refused.
    if (!replay.accept(nonce, (iat as number) + ONSITE_MAX_AGE_SECONDS + 60)) {
      return { status: 'refused', reason: 'replayed', detail: 'this presentation was already used' };
    }
    return verified(result.appId, result.claims);
  } catch (error) {
    return refusalOf(error);
  }
}
