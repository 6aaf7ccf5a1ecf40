import type { RegistryMatch, RegistryQuery } from './store.ts';

/** A registry document joined with its person, as the SQL layer reads it. */
export interface RegistryRecord {
  personId: string;
  name: string;
  birthdate: string;
  deceased: boolean;
  documentType: string;
  validFrom: string;
  validUntil: string | null;
  status: string;
}

/** Today in China Standard Time (UTC+8, no daylight saving) as 'YYYY-MM-DD': documents expire there. */
export function chinaDate(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Names are compared exactly, after Unicode NFC (the same name typed on two keyboards may arrive
 * composed or decomposed) and trimming the white space forms add around it.
 */
export function canonicalName(name: string): string {
  return name.normalize('NFC').trim();
}

/**
 * The whole decision in one place, all conditions evaluated together: the caller learns "match" or
 * "no match", never which condition failed. A document is valid from `validFrom` through the whole
 * day of `validUntil` (China time).
 */
export function decideMatch(
  record: RegistryRecord | undefined,
  query: RegistryQuery,
  nowMs: number,
): RegistryMatch | undefined {
  if (!record) return undefined;
  const today = chinaDate(nowMs);
  const usable =
    record.status === 'valid' &&
    !record.deceased &&
    record.validFrom <= today &&
    (record.validUntil === null || today <= record.validUntil) &&
    record.documentType === query.type &&
    canonicalName(record.name) === canonicalName(query.name) &&
    record.birthdate === query.birthdate;
  if (!usable) return undefined;
  return {
    personId: record.personId,
    name: record.name,
    birthdate: record.birthdate,
    documentType: record.documentType,
    validUntil: record.validUntil,
  };
}
