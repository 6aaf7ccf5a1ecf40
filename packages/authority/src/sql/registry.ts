import type { AuthorityContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { documentLookupHash } from '../registry/lookup-hash.ts';
import { decideMatch } from '../registry/match.ts';
import type { InsertedCount, PopulationRegistry, Resident } from '../registry/store.ts';

/**
 * Persons per INSERT (each with one to a few documents). A thousand rows of 7 parameters stays far
 * below PostgreSQL's 65,535 bind parameters and amortises the round trip.
 */
export const REGISTRY_BATCH_SIZE = 1000;

/** Batches per transaction: one commit (one WAL flush) per this many batches. */
const BATCHES_PER_TRANSACTION = 10;

export function sqlPopulationRegistry(
  ctx: Pick<AuthorityContext, 'db' | 'now'> & {
    secrets: Pick<AuthorityContext['secrets'], 'registryLookup'>;
  },
): PopulationRegistry {
  const { db } = ctx;
  const secret = ctx.secrets.registryLookup;
  return {
    async match(query) {
      const row = await db
        .selectFrom('registry_documents as d')
        .innerJoin('registry_persons as p', 'p.person_id', 'd.person_id')
        .select([
          'p.person_id',
          'p.name',
          'p.birthdate',
          'p.deceased',
          'd.document_type',
          'd.valid_from',
          'd.valid_until',
          'd.status',
        ])
        .where('d.lookup_hash', '=', documentLookupHash(secret, query.type, query.number))
        .executeTakeFirst();
      const record = row && {
        personId: row.person_id,
        name: row.name,
        birthdate: row.birthdate,
        deceased: row.deceased,
        documentType: row.document_type,
        validFrom: row.valid_from,
        validUntil: row.valid_until,
        status: row.status,
      };
      return decideMatch(record, query, ctx.now());
    },

    async insertResidents(residents) {
      const total: InsertedCount = { persons: 0, documents: 0 };
      const step = REGISTRY_BATCH_SIZE * BATCHES_PER_TRANSACTION;
      for (let start = 0; start < residents.length; start += step) {
        const slice = residents.slice(start, start + step);
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < slice.length; i += REGISTRY_BATCH_SIZE) {
            const counted = await insertBatch(trx, secret, slice.slice(i, i + REGISTRY_BATCH_SIZE));
            total.persons += counted.persons;
            total.documents += counted.documents;
          }
        });
      }
      return total;
    },
  };
}

async function insertBatch(db: Db, secret: Buffer, residents: readonly Resident[]): Promise<InsertedCount> {
  if (residents.length === 0) return { persons: 0, documents: 0 };
  const persons = await db
    .insertInto('registry_persons')
    .values(
      residents.map((r) => ({
        person_id: r.personId,
        name: r.name,
        name_pinyin: r.namePinyin,
        birthdate: r.birthdate,
        sex: r.sex,
        photo_ref: r.photoRef,
        deceased: r.deceased,
      })),
    )
    .onConflict((oc) => oc.column('person_id').doNothing())
    .executeTakeFirst();
  const documents = residents.flatMap((r) =>
    r.documents.map((d) => ({
      // Only the keyed hash of the number is written: the plaintext never reaches the database.
      lookup_hash: documentLookupHash(secret, d.type, d.number),
      person_id: r.personId,
      document_type: d.type,
      valid_from: d.validFrom,
      valid_until: d.validUntil,
      status: d.status,
    })),
  );
  let documentCount = 0n;
  if (documents.length > 0) {
    const result = await db
      .insertInto('registry_documents')
      .values(documents)
      .onConflict((oc) => oc.column('lookup_hash').doNothing())
      .executeTakeFirst();
    documentCount = result.numInsertedOrUpdatedRows ?? 0n;
  }
  return { persons: Number(persons.numInsertedOrUpdatedRows ?? 0n), documents: Number(documentCount) };
}
