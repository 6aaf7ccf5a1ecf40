import type { AuthorityContext } from '../context.ts';
import { ageOver } from '../issuance/certificate.ts';
import { sqlPopulationRegistry } from '../sql/registry.ts';
import { chinaDate, decideMatch } from './match.ts';
import type { Resident } from './store.ts';
import { generateResidents } from './synthetic.ts';

/** Residents generated and written per round: bounded memory whatever the count. */
const CHUNK = 10_000;

export interface SeedOptions {
  count: number;
  seed: number;
  /** Called after each chunk is written, with the number of residents in it. */
  onProgress?: (written: number) => void;
}

/** A resident who can enroll with this document today (an adult, document valid, alive). */
export interface SeedSample {
  type: string;
  number: string;
  name: string;
  birthdate: string;
}

export interface SeedResult {
  /** Rows written; a re-seed with the same seed writes none. */
  persons: number;
  documents: number;
  /** One per document type that occurred, in order of first occurrence. */
  samples: SeedSample[];
}

/**
 * Fills the stand-in population registry with `count` synthetic residents drawn from `seed`. Only
 * keyed hashes of the document numbers are stored; the samples returned are the one place the
 * plaintext numbers appear (test data, for people trying the enrollment by hand).
 */
export async function seedRegistry(ctx: AuthorityContext, options: SeedOptions): Promise<SeedResult> {
  const registry = sqlPopulationRegistry(ctx);
  const now = ctx.now();
  const residents = generateResidents({ count: options.count, seed: options.seed, today: chinaDate(now) });
  const result: SeedResult = { persons: 0, documents: 0, samples: [] };
  const sampled = new Set<string>();
  let chunk: Resident[] = [];
  const flush = async () => {
    const inserted = await registry.insertResidents(chunk);
    result.persons += inserted.persons;
    result.documents += inserted.documents;
    options.onProgress?.(chunk.length);
    chunk = [];
  };
  for (const resident of residents) {
    chunk.push(resident);
    for (const sample of usableDocuments(resident, now)) {
      if (sampled.has(sample.type)) continue;
      sampled.add(sample.type);
      result.samples.push(sample);
    }
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  return result;
}

function usableDocuments(resident: Resident, now: number): SeedSample[] {
  if (!ageOver(resident.birthdate, 18, new Date(now))) return [];
  return resident.documents.flatMap((d) => {
    const query = { type: d.type, number: d.number, name: resident.name, birthdate: resident.birthdate };
    const record = { ...resident, documentType: d.type, ...d };
    return decideMatch(record, query, now) ? [query] : [];
  });
}
