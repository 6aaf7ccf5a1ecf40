import { generateNetNumber } from '@netid/protocol';
import type { PersonRow, PersonStore } from './store.ts';

/** 32^9 numbers: a collision is astronomically unlikely, so a handful of draws is plenty. */
const MAX_NUMBER_DRAWS = 5;

/**
 * The person with this dedupe hash, created with a fresh random network number when there is none.
 * The same registry person therefore always gets the same number (DESIGN.md, flow 1). Safe under
 * concurrency: when two enrollments of one person race, the loser's insert is a no-op and it reads
 * the winner's row; when a drawn number is taken, another is drawn.
 */
export async function findOrCreatePerson(
  store: PersonStore,
  dedupeHash: Buffer,
  now: Date,
  drawNumber: () => string = generateNetNumber,
): Promise<PersonRow & { created: boolean }> {
  for (let draw = 0; draw < MAX_NUMBER_DRAWS; draw++) {
    const existing = await store.findByDedupeHash(dedupeHash);
    if (existing) return { ...existing, created: false };
    const netNumber = drawNumber();
    if (await store.insertIfAbsent({ netNumber, dedupeHash, createdAt: now })) {
      return { netNumber, state: 'active', created: true };
    }
  }
  throw new Error('could not allocate a network number');
}
