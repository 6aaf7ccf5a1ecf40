import { randomBytes } from 'node:crypto';
import { generateDocumentNumber, seededRandom } from '@netid/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.ts';
import { REGISTRY_BATCH_SIZE, sqlPopulationRegistry } from '../sql/registry.ts';
import { backends } from '../testing/backends.ts';
import { findPlaintext } from '../testing/scan-plaintext.ts';
import { documentLookupHash } from './lookup-hash.ts';
import type { PopulationRegistry, Resident, ResidentDocument } from './store.ts';

const random = seededRandom(20240601);
// 2024-06-01 12:00 in China (04:00 UTC).
const NOW = Date.UTC(2024, 5, 1, 4);

function resident(overrides: Partial<Resident> & { documents: ResidentDocument[] }): Resident {
  return {
    personId: randomBytes(8).toString('hex'),
    name: '张三',
    namePinyin: 'ZHANG SAN',
    birthdate: '1990-03-07',
    sex: 'M',
    photoRef: 'synthetic:1',
    deceased: false,
    ...overrides,
  };
}

function document(
  type: ResidentDocument['type'],
  overrides: Partial<ResidentDocument> = {},
): ResidentDocument {
  return {
    type,
    number: generateDocumentNumber(type as 'resident_id', { birthdate: '1990-03-07', random }),
    validFrom: '2015-01-01',
    validUntil: '2035-01-01',
    status: 'valid',
    ...overrides,
  };
}

describe.each(backends)('population registry on $name', (backend) => {
  describe.skipIf(!backend.available)('registry', () => {
    let db: Db;
    let close: () => Promise<void>;
    let now = NOW;
    const secret = randomBytes(32);
    let registry: PopulationRegistry;

    const zhang = resident({ documents: [document('resident_id'), document('prc_passport')] });
    const expiring = resident({
      name: '李四',
      documents: [document('resident_id', { validFrom: '2014-06-01', validUntil: '2024-06-01' })],
    });
    const longTerm = resident({ name: '王五', documents: [document('resident_id', { validUntil: null })] });
    const future = resident({
      name: '赵六',
      documents: [document('resident_id', { validFrom: '2024-06-02' })],
    });
    const invalidated = resident({
      name: '钱七',
      documents: [document('resident_id', { status: 'invalidated' })],
    });
    const deceased = resident({ name: '孙八', deceased: true, documents: [document('resident_id')] });
    const all = [zhang, expiring, longTerm, future, invalidated, deceased];
    const query = (r: Resident, i = 0) => ({
      type: r.documents[i]!.type,
      number: r.documents[i]!.number,
      name: r.name,
      birthdate: r.birthdate,
    });

    beforeAll(async () => {
      const opened = await backend.open();
      db = opened.database.db;
      close = opened.cleanup;
      registry = sqlPopulationRegistry({ db, now: () => now, secrets: { registryLookup: secret } });
      expect(await registry.insertResidents(all)).toEqual({ persons: 6, documents: 7 });
    });
    afterAll(() => close());

    it('matches a valid document with the exact name and birthdate', async () => {
      now = NOW;
      for (const i of [0, 1]) {
        expect(await registry.match(query(zhang, i))).toEqual({
          personId: zhang.personId,
          name: '张三',
          birthdate: '1990-03-07',
          documentType: zhang.documents[i]!.type,
          validUntil: '2035-01-01',
        });
      }
    });

    it('finds the document however the number is typed (case, spaces, full-width)', async () => {
      now = NOW;
      const n = zhang.documents[0]!.number;
      const messy = `${n.slice(0, 6)} ${n.slice(6, 14)} ${n.slice(14).toLowerCase()}`.replace('1', '１');
      expect(await registry.match({ ...query(zhang), number: messy })).toMatchObject({
        personId: zhang.personId,
      });
      expect(await registry.match({ ...query(zhang), name: ' 张三 ' })).toBeDefined();
    });

    it('answers undefined — nothing more — for every kind of mismatch', async () => {
      now = NOW;
      const base = query(zhang);
      const cases = {
        'unknown number': { ...base, number: generateDocumentNumber('resident_id', { random }) },
        'other type, same number': { ...base, type: 'hk_macao_residence_permit' },
        'passport number under resident_id': { ...base, number: zhang.documents[1]!.number },
        'wrong name': { ...base, name: '张四' },
        'name in pinyin': { ...base, name: 'ZHANG SAN' },
        'wrong birthdate': { ...base, birthdate: '1990-03-08' },
        'not yet valid': query(future),
        invalidated: query(invalidated),
        deceased: query(deceased),
      };
      for (const [what, q] of Object.entries(cases)) {
        expect(await registry.match(q), what).toBeUndefined();
      }
    });

    it('treats validUntil as the last valid day in China time; long-term documents never expire', async () => {
      now = Date.UTC(2024, 5, 1, 15, 59); // 23:59 on 2024-06-01 in China
      expect(await registry.match(query(expiring))).toBeDefined();
      now = Date.UTC(2024, 5, 1, 16, 0); // 00:00 on 2024-06-02 in China, still 06-01 in UTC
      expect(await registry.match(query(expiring))).toBeUndefined();
      now = Date.UTC(2099, 0, 1);
      expect(await registry.match(query(longTerm))).toMatchObject({ validUntil: null });
      now = NOW;
    });

    it('re-seeding is idempotent', async () => {
      expect(await registry.insertResidents(all)).toEqual({ persons: 0, documents: 0 });
      const persons = await db
        .selectFrom('registry_persons')
        .select((eb) => eb.fn.countAll().as('n'))
        .execute();
      expect(Number(persons[0]!.n)).toBe(6);
    });

    it('inserts across batch and transaction boundaries', async () => {
      const many = Array.from({ length: REGISTRY_BATCH_SIZE * 2 + 17 }, (_, i) =>
        resident({ name: `批量${i}`, documents: [document('taiwan_travel_permit')] }),
      );
      const counted = await registry.insertResidents(many);
      expect(counted.persons).toBe(many.length);
      // Synthetic 8-digit permit numbers may collide; a collision is skipped, not an error.
      expect(counted.documents).toBeGreaterThan(many.length - 5);
      expect(await registry.match(query(many.at(-1)!))).toMatchObject({ personId: many.at(-1)!.personId });
    });

    it('stores only keyed hashes of document numbers', async () => {
      const numbers = all.flatMap((r) => r.documents.map((d) => d.number));
      expect(await findPlaintext(db, numbers)).toEqual([]);
      const row = await db
        .selectFrom('registry_documents')
        .select('lookup_hash')
        .where('person_id', '=', zhang.personId)
        .where('document_type', '=', 'resident_id')
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.lookup_hash)).toEqual(
        documentLookupHash(secret, 'resident_id', zhang.documents[0]!.number),
      );
    });
  });
});
