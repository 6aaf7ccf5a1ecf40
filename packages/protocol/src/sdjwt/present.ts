import { signJws } from '../jose/jws.ts';
import type { SigningKey } from '../jose/keys.ts';
import { type ClaimPath, type DecodedDisclosure, decodeSdJwt } from './decode.ts';
import { sdHash } from './disclosure.ts';

/**
 * What to disclose, mirroring the claims' shape: `{ given_name: true, address: { locality: true },
 * nationalities: { 0: true } }`. `true` discloses a claim and everything below it.
 */
export interface PresentationFrame {
  [claim: string]: boolean | PresentationFrame;
}

export interface PresentOptions {
  disclose: PresentationFrame | ((path: ClaimPath) => boolean);
  /** Adds a KB-JWT (RFC 9901 §4.3) signed by the device key named in `cnf.jwk`. */
  keyBinding?: { key: SigningKey; audience: string; nonce: string; iat?: number };
}

/**
 * Builds a presentation: the issuer-signed JWT, the chosen disclosures (plus the enclosing ones that
 * recursive disclosures need), and an optional KB-JWT over exactly that string.
 */
export function presentSdJwt(sdJwt: string, options: PresentOptions): string {
  const decoded = decodeSdJwt(sdJwt);
  const wanted = typeof options.disclose === 'function' ? options.disclose : frameSelector(options.disclose);
  const byDigest = new Map(decoded.disclosures.map((d) => [d.digest, d]));
  const chosen = new Set<DecodedDisclosure>();
  for (const d of decoded.disclosures) {
    if (!wanted(d.path)) continue;
    // A nested disclosure is unreadable without every disclosure that encloses it.
    for (
      let cur: DecodedDisclosure | undefined = d;
      cur;
      cur = cur.parent ? byDigest.get(cur.parent) : undefined
    ) {
      chosen.add(cur);
    }
  }
  let presented = `${decoded.jwt}~`;
  for (const d of decoded.disclosures) if (chosen.has(d)) presented += `${d.encoded}~`;
  const kb = options.keyBinding;
  if (!kb) return presented;
  const payload = {
    iat: kb.iat ?? Math.floor(Date.now() / 1000),
    aud: kb.audience,
    nonce: kb.nonce,
    sd_hash: sdHash(presented),
  };
  return presented + signJws({ typ: 'kb+jwt' }, payload, kb.key);
}

function frameSelector(frame: PresentationFrame): (path: ClaimPath) => boolean {
  return (path) => {
    let node: boolean | PresentationFrame | undefined = frame;
    for (const step of path) {
      if (node === true) return true;
      if (typeof node !== 'object') return false;
      node = node[String(step)];
    }
    return node === true || (typeof node === 'object' && node !== null);
  };
}
