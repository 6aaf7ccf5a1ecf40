import { decodeSdJwt, generateSigningKey } from '@netid/protocol';
import { expect, it } from 'vitest';
import { describeServed, walletObtainsCertificate } from '../issuance/test-support.ts';
import { findPlaintext } from '../testing/scan-plaintext.ts';
import { enrollToIssuable, overHttp, seedResidents, testResident } from './test-support.ts';

describeServed('enrollment handing over to issuance', (served) => {
  it('ends in a session the OpenID4VCI wallet redeems with the texted tx_code for a certificate', async () => {
    const resident = testResident({
      name: '欧阳娜娜',
      birthdate: '1996-04-18',
      type: 'hk_macao_residence_permit',
    });
    await seedResidents(served.ctx, [resident]);
    const enrolled = await enrollToIssuable(overHttp(served.url), resident, { phone: '+86 177 1234 5601' });
    const offer = enrolled.answer.credentialOffer;
    const code = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];

    const credential = await walletObtainsCertificate(served.ctx, generateSigningKey('ES256'), {
      code,
      txCode: enrolled.txCode,
    });
    const claims = Object.fromEntries(decodeSdJwt(credential).disclosures.map((d) => [d.name, d.value]));
    expect(claims).toMatchObject({
      name: '欧阳娜娜',
      birthdate: '1996-04-18',
      document_type: 'hk_macao_residence_permit',
      age_over_18: true,
    });
    expect(await findPlaintext(served.ctx.db, [resident.documents[0]!.number, '17712345601'])).toEqual([]);
  });
});
