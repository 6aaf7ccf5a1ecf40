// RFC 9901 conformance, driven by the examples of the specification text
// (../shared/vectors/sd-jwt/rfc9901-spec-text.json). Each check names the section it follows.
import { describe, expect, it } from 'vitest';
import { parseJws, verifySignature } from '../jose/jws.ts';
import { KeySet } from '../jose/keyset.ts';
import { readVector } from '../testing/vectors.ts';
import { digestOf, parseDisclosure } from './disclosure.ts';
import { verifySdJwt } from './verify.ts';

interface CompactExample {
  section: string;
  generator_case: string;
  kind: 'jws' | 'sd-jwt' | 'sd-jwt+kb';
  role: string;
  value: string;
  expected_processed_payload?: Record<string, unknown>;
  expected_kb?: { nonce: string; aud: string; iat: number; sd_hash: string };
}

const spec = readVector<{
  issuer_public_jwk: Record<string, unknown>;
  verifier_aud: string;
  kb_nonce: string;
  compact_examples: CompactExample[];
  disclosure_encoding_examples: { note: string; disclosure: string; contents: unknown[]; digest: string }[];
  disclosures: { section: string; digest: string; disclosure: string; contents: unknown[] }[];
}>('sd-jwt/rfc9901-spec-text.json');

const keys = new KeySet({ keys: [spec.issuer_public_jwk] });
// The examples were issued at iat 1683000000 and expire at 1883000000; their KB-JWTs carry an old iat.
const FROZEN = 1_748_536_865;

describe('RFC 9901 §5 and Appendix A examples', () => {
  for (const ex of spec.compact_examples) {
    it(`${ex.section} — ${ex.kind} (${ex.role}, ${ex.generator_case})`, () => {
      if (ex.kind === 'jws') {
        // §4.1: the Issuer-signed JWT is an ordinary JWS signed by the issuer key.
        const jws = parseJws(ex.value);
        expect(
          verifySignature(jws.header.alg, jws.signingInput, jws.signature, keys.select(undefined, 'ES256')),
        ).toBe(true);
        return;
      }
      const withKb = ex.kind === 'sd-jwt+kb';
      const result = verifySdJwt(ex.value, {
        keys,
        typ: null,
        now: ex.expected_kb?.iat ?? FROZEN,
        keyBinding: withKb ? { audience: spec.verifier_aud, nonce: spec.kb_nonce } : false,
      });
      // §7.1: every disclosure in the presentation was referenced and processed.
      expect(result.disclosureCount).toBe(ex.value.split('~').length - 2);
      if (ex.expected_processed_payload) {
        // §7.1 step 5: the processed payload, `_sd` and `_sd_alg` removed.
        expect(result.claims).toEqual(ex.expected_processed_payload);
      }
      if (ex.expected_kb) {
        // §4.3: KB-JWT carries nonce, aud, iat and sd_hash over the presented SD-JWT.
        expect(result.keyBinding).toEqual(ex.expected_kb);
      }
    });
  }

  it('§7.3: an SD-JWT+KB example fails when the KB-JWT is checked against another nonce or audience', () => {
    const ex = spec.compact_examples.find((e) => e.kind === 'sd-jwt+kb')!;
    const base = { keys, typ: null, now: ex.expected_kb!.iat };
    expect(() =>
      verifySdJwt(ex.value, { ...base, keyBinding: { audience: spec.verifier_aud, nonce: 'other' } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_KB_NONCE_MISMATCH' }));
    expect(() =>
      verifySdJwt(ex.value, {
        ...base,
        keyBinding: { audience: 'https://evil.example', nonce: spec.kb_nonce },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_KB_AUD_MISMATCH' }));
  });

  it('§7.1: the A.3 SD-JWT VC example passes the dc+sd-jwt typ check', () => {
    const ex = spec.compact_examples.find((e) => e.section.startsWith('A.3') && e.kind === 'sd-jwt+kb')!;
    const result = verifySdJwt(ex.value, {
      keys,
      now: ex.expected_kb!.iat,
      keyBinding: { audience: spec.verifier_aud, nonce: spec.kb_nonce },
    });
    expect(result.header.typ).toBe('dc+sd-jwt');
  });
});

describe('RFC 9901 §4.2 disclosures', () => {
  for (const [i, d] of spec.disclosures.entries()) {
    it(`${d.section} #${i}: digest and contents`, () => {
      // §4.2.3: digest over the ASCII of the base64url disclosure.
      expect(digestOf(d.disclosure)).toBe(d.digest);
      // §4.2.1 / §4.2.2: [salt, name, value] or [salt, value].
      const parsed = parseDisclosure(d.disclosure);
      const contents =
        parsed.name === undefined ? [parsed.salt, parsed.value] : [parsed.salt, parsed.name, parsed.value];
      expect(contents).toEqual(d.contents);
    });
  }

  for (const d of spec.disclosure_encoding_examples) {
    it(`${d.note}`, () => {
      // §4.2.1: different JSON encodings of one claim are different disclosures with different digests.
      expect(digestOf(d.disclosure)).toBe(d.digest);
      const parsed = parseDisclosure(d.disclosure);
      expect(
        parsed.name === undefined ? [parsed.salt, parsed.value] : [parsed.salt, parsed.name, parsed.value],
      ).toEqual(d.contents);
    });
  }
});
