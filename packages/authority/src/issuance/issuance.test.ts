import {
  decodeSdJwt,
  generateSigningKey,
  jwkThumbprint,
  parseNetNumber,
  presentSdJwt,
} from '@netid/protocol';
import { createVerifier } from '@netid/verifier';
import { verify as argon2Verify } from '@node-rs/argon2';
import { expect, it } from 'vitest';
import {
  enrollToIssuable,
  seedResidents,
  type TestAuthority,
  testResident,
} from '../enrollment/test-support.ts';
import { openPersonAttributes } from '../persons/attributes.ts';
import { findPlaintext } from '../testing/scan-plaintext.ts';
import { CERTIFICATE_VCT } from './metadata.ts';
import {
  describeServed,
  insertIssuableSession,
  type ServedAuthority,
  walletObtainsCertificate,
  walletRedeemsOffer,
} from './test-support.ts';

/** The enrollment test helpers drive a `TestAuthority`; this one speaks to the served one over HTTP. */
function overHttp(served: ServedAuthority): TestAuthority {
  return {
    ...served,
    logs: [],
    async call(method, path, body) {
      const res = await fetch(`${served.url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** The claims a holder can disclose, decoded from the issuer-signed disclosures. */
function disclosed(credential: string): Record<string, unknown> {
  return Object.fromEntries(decodeSdJwt(credential).disclosures.map((d) => [d.name, d.value]));
}

describeServed('certificate issuance, with the OpenID4VCI library client as the wallet', (served) => {
  it('issues a certificate that @netid/verifier accepts over HTTP after a key-bound presentation', async () => {
    const deviceKey = generateSigningKey('ES256');
    const session = await insertIssuableSession(served.ctx, {
      personId: 'R-100001',
      birthdate: '1990-03-07',
    });
    const credential = await walletObtainsCertificate(served.ctx, deviceKey, session);

    // draft-ietf-oauth-sd-jwt-vc §3.2: typ, iss, vct, cnf and status in the clear.
    const decoded = decodeSdJwt(credential);
    expect(decoded.header.typ).toBe('dc+sd-jwt');
    expect(decoded.payload).toMatchObject({ iss: served.url, vct: CERTIFICATE_VCT });
    expect(decoded.payload.cnf).toEqual({
      jwk: { kty: 'EC', crv: 'P-256', x: deviceKey.publicJwk.x, y: deviceKey.publicJwk.y },
    });
    const days = ((decoded.payload.exp as number) - (decoded.payload.iat as number)) / 86_400;
    expect(days).toBe(served.ctx.config.certificateDays);
    // RFC 9901 §4.2.5: 9 claims + 2 decoys, and nothing personal outside the disclosures.
    expect(decoded.payload._sd).toHaveLength(11);
    expect(JSON.stringify(decoded.payload)).not.toContain('1990');

    const verifier = createVerifier({ issuer: served.url, vct: [CERTIFICATE_VCT] });
    try {
      await verifier.ready();
      const presentation = presentSdJwt(credential, {
        disclose: { net_number: true, age_over_18: true, enrollment_level: true, face_match: true },
        keyBinding: { key: deviceKey, audience: 'https://forum.example', nonce: 'n-0S3kd' },
      });
      const verified = await verifier.verify(presentation, {
        audience: 'https://forum.example',
        nonce: 'n-0S3kd',
        requiredClaims: ['net_number', 'age_over_18'],
      });
      expect(parseNetNumber(verified.claims.net_number as string)).toBe(verified.claims.net_number);
      expect(verified.claims).toMatchObject({
        age_over_18: true,
        enrollment_level: 'document+phone+password',
        face_match: false,
      });
      // Only what was chosen reaches the platform.
      expect(verified.claims.name).toBeUndefined();
      expect(verified.claims.birthdate).toBeUndefined();
    } finally {
      verifier.close();
    }
  });

  it('issues to a wallet that enrolled over HTTP, from the offer URI and the texted tx_code', async () => {
    const resident = testResident({ name: '陈晓', birthdate: '1995-08-20' });
    await seedResidents(served.ctx, [resident]);
    const enrolled = await enrollToIssuable(overHttp(served), resident, { password: '20481357' });
    const deviceKey = generateSigningKey('ES256');
    const credential = await walletRedeemsOffer(
      deviceKey,
      enrolled.answer.credentialOfferUri,
      enrolled.txCode,
    );
    const claims = disclosed(credential);
    expect(claims).toMatchObject({
      name: '陈晓',
      birthdate: '1995-08-20',
      document_type: 'resident_id',
      age_over_18: true,
    });
    // The password set at enrollment moved to the person; the session keeps no copy.
    const person = await served.ctx.db
      .selectFrom('persons')
      .select('password_hash')
      .where('net_number', '=', claims.net_number as string)
      .executeTakeFirstOrThrow();
    expect(await argon2Verify(person.password_hash!, '20481357')).toBe(true);
    // DESIGN.md guarantee 4: neither the document number nor the phone number is anywhere at rest,
    // and the name only in the registry stand-in (the ministry's, not ours).
    expect(await findPlaintext(served.ctx.db, [resident.documents[0]!.number, enrolled.phone])).toEqual([]);
    expect(await findPlaintext(served.ctx.db, ['陈晓'])).toEqual(['registry_persons.name: 陈晓']);
  });

  it('states every enrolled attribute and the ages at issuance, for an EdDSA device key too', async () => {
    const deviceKey = generateSigningKey('EdDSA');
    // Fifteen and a few weeks at issuance (the birthday boundaries are in certificate.test.ts).
    const today = new Date(served.clock.now);
    const born = new Date(Date.UTC(today.getUTCFullYear() - 15, today.getUTCMonth(), today.getUTCDate() - 20))
      .toISOString()
      .slice(0, 10);
    const session = await insertIssuableSession(served.ctx, {
      personId: 'R-100002',
      name: '李四',
      birthdate: born,
      documentType: 'passport',
    });
    const credential = await walletObtainsCertificate(served.ctx, deviceKey, session);
    expect(decodeSdJwt(credential).payload.cnf).toEqual({
      jwk: { kty: 'OKP', crv: 'Ed25519', x: deviceKey.publicJwk.x },
    });
    expect(disclosed(credential)).toEqual({
      net_number: expect.any(String),
      name: '李四',
      birthdate: born,
      age_over_14: true,
      age_over_16: false,
      age_over_18: false,
      document_type: 'passport',
      enrollment_level: 'document+phone+password',
      face_match: false,
    });
  });

  it('records the person and the certificate, keeps attributes sealed and clears the session', async () => {
    const deviceKey = generateSigningKey('ES256');
    const session = await insertIssuableSession(served.ctx, { personId: 'R-100003', name: '王五' });
    const credential = await walletObtainsCertificate(served.ctx, deviceKey, session);
    const netNumber = disclosed(credential).net_number as string;

    const person = await served.ctx.db
      .selectFrom('persons')
      .selectAll()
      .where('net_number', '=', netNumber)
      .executeTakeFirstOrThrow();
    const sealed = Buffer.from(person.attributes_enc!);
    expect(sealed.includes(Buffer.from('王五'))).toBe(false);
    expect(openPersonAttributes(served.ctx.sealer, netNumber, sealed)).toEqual({
      name: '王五',
      birthdate: '1990-03-07',
      documentType: 'resident_id',
    });
    expect(person.password_hash).toMatch(/^\$argon2id\$/);

    const certificates = await served.ctx.db
      .selectFrom('certificates')
      .selectAll()
      .where('net_number', '=', netNumber)
      .execute();
    expect(certificates).toHaveLength(1);
    const status = decodeSdJwt(credential).payload.status as { status_list: { idx: number } };
    expect(certificates[0]).toMatchObject({
      device_thumbprint: jwkThumbprint(deviceKey.publicJwk),
      status_index: status.status_list.idx,
      revoked_at: null,
    });

    const row = await served.ctx.db
      .selectFrom('enrollment_sessions')
      .selectAll()
      .where('session_id_hash', '=', session.sessionIdHash)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'issued',
      net_number: netNumber,
      data_enc: null,
      password_hash: null,
      access_token_hash: null,
    });
  });
});
