import { generateNetNumber } from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { findOrCreatePerson } from './find-or-create.ts';
import type { NewPerson, PersonRow, PersonStore } from './store.ts';

/** An in-memory store with the SQL store's conflict semantics (either unique key → no-op). */
function memoryStore(seed: Array<{ netNumber: string; dedupeHash: Buffer }> = []) {
  const rows = new Map<string, { dedupeHash: Buffer; state: string }>();
  for (const s of seed) rows.set(s.netNumber, { dedupeHash: s.dedupeHash, state: 'active' });
  let beforeInsert: (() => void) | undefined;
  const store: PersonStore = {
    async findByDedupeHash(hash): Promise<PersonRow | undefined> {
      for (const [netNumber, row] of rows)
        if (row.dedupeHash.equals(hash)) return { netNumber, state: row.state };
      return undefined;
    },
    async insertIfAbsent(p: NewPerson) {
      beforeInsert?.();
      beforeInsert = undefined;
      if (rows.has(p.netNumber) || [...rows.values()].some((r) => r.dedupeHash.equals(p.dedupeHash)))
        return false;
      rows.set(p.netNumber, { dedupeHash: p.dedupeHash, state: 'active' });
      return true;
    },
    async updateEnrollment() {},
  };
  return { store, rows, raceOnce: (f: () => void) => (beforeInsert = f) };
}

const hash = (n: number) => Buffer.alloc(32, n);
const now = new Date();

describe('findOrCreatePerson', () => {
  it('creates once, then finds the same row', async () => {
    const { store } = memoryStore();
    const created = await findOrCreatePerson(store, hash(1), now);
    expect(created.created).toBe(true);
    const again = await findOrCreatePerson(store, hash(1), now);
    expect(again).toEqual({ netNumber: created.netNumber, state: 'active', created: false });
  });

  it('draws another number when the drawn one is taken', async () => {
    const taken = generateNetNumber();
    const fresh = generateNetNumber();
    const { store } = memoryStore([{ netNumber: taken, dedupeHash: hash(9) }]);
    const draws = [taken, fresh];
    const person = await findOrCreatePerson(store, hash(1), now, () => draws.shift()!);
    expect(person).toEqual({ netNumber: fresh, state: 'active', created: true });
  });

  it('takes the winner’s row when a concurrent enrollment of the same person inserts first', async () => {
    const winner = generateNetNumber();
    const { store, rows, raceOnce } = memoryStore();
    raceOnce(() => rows.set(winner, { dedupeHash: hash(1), state: 'active' }));
    const person = await findOrCreatePerson(store, hash(1), now);
    expect(person).toEqual({ netNumber: winner, state: 'active', created: false });
    expect(rows.size).toBe(1);
  });

  it('gives up (with an error, not a loop) when every draw collides', async () => {
    const taken = generateNetNumber();
    const { store } = memoryStore([{ netNumber: taken, dedupeHash: hash(9) }]);
    await expect(findOrCreatePerson(store, hash(1), now, () => taken)).rejects.toThrow(/network number/);
  });
});
