import { decodeSdJwt, generateSigningKey } from '@netid/protocol';
import { expect, it } from 'vitest';
import { personDedupeHash } from '../persons/dedupe.ts';
import { describeServed, insertIssuableSession, walletObtainsCertificate } from './test-support.ts';

const netNumberOf = (credential: string) =>
  decodeSdJwt(credential).disclosures.find((d) => d.name === 'net_number')!.value as string;

describeServed('one network number per registry person (DESIGN.md flow 1)', (served) => {
  it('gives the same number to the same person on a new device and with another document', async () => {
    const phone = generateSigningKey('ES256');
    const tablet = generateSigningKey('EdDSA');
    const first = await walletObtainsCertificate(
      served.ctx,
      phone,
      await insertIssuableSession(served.ctx, { personId: 'R-200001', documentType: 'resident_id' }),
    );
    const second = await walletObtainsCertificate(
      served.ctx,
      tablet,
      await insertIssuableSession(served.ctx, {
        personId: 'R-200001',
        documentType: 'passport',
        name: '赵六',
      }),
    );
    const number = netNumberOf(first);
    expect(netNumberOf(second)).toBe(number);

    const certificates = await served.ctx.db
      .selectFrom('certificates')
      .select(['device_thumbprint', 'status_shard', 'status_index'])
      .where('net_number', '=', number)
      .execute();
    expect(certificates).toHaveLength(2);
    expect(new Set(certificates.map((c) => c.device_thumbprint)).size).toBe(2);
    expect(new Set(certificates.map((c) => `${c.status_shard}/${c.status_index}`)).size).toBe(2);
    const persons = await served.ctx.db
      .selectFrom('persons')
      .select('net_number')
      .where('dedupe_hash', '=', personDedupeHash(served.ctx.secrets.dedupe, 'R-200001'))
      .execute();
    expect(persons).toEqual([{ net_number: number }]);
  });

  it('gives a different person a different number', async () => {
    const a = await walletObtainsCertificate(
      served.ctx,
      generateSigningKey('ES256'),
      await insertIssuableSession(served.ctx, { personId: 'R-200002' }),
    );
    const b = await walletObtainsCertificate(
      served.ctx,
      generateSigningKey('ES256'),
      await insertIssuableSession(served.ctx, { personId: 'R-200003' }),
    );
    expect(netNumberOf(a)).not.toBe(netNumberOf(b));
  });

  it('keys the dedupe hash on the registry person, under the dedupe secret', () => {
    const hash = personDedupeHash(served.ctx.secrets.dedupe, 'R-200001');
    expect(hash).toHaveLength(32);
    expect(hash.equals(personDedupeHash(Buffer.alloc(32, 1), 'R-200001'))).toBe(false);
    expect(hash.equals(personDedupeHash(served.ctx.secrets.dedupe, 'R-200004'))).toBe(false);
  });
});
