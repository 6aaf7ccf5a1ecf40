import { describe, expect, it } from 'vitest';
import type { HistoryEntry, VaultContents } from '../vault/contents.ts';
import { connectedPlatforms } from './connected.ts';

const forum = { clientId: 'forum', kind: 'internet' as const, name: { zh: '论坛', en: 'Forum' } };
const counter = { clientId: 'counter', kind: 'government' as const, name: { zh: '窗口', en: 'Counter' } };

const entry = (id: string, at: string, over: Partial<HistoryEntry>): HistoryEntry => ({
  id,
  at,
  kind: 'signin',
  platform: forum,
  requested: [],
  disclosed: [],
  mode: 'cert',
  result: 'approved',
  ...over,
});

const contents = (
  history: HistoryEntry[],
  creds: VaultContents['applicationCredentials'] = {},
): VaultContents => ({
  v: 1,
  credentials: [],
  applicationCredentials: creds,
  history,
});

describe('connectedPlatforms', () => {
  it('groups approved entries by platform, newest use first, with every claim ever disclosed', () => {
    const list = connectedPlatforms(
      contents([
        entry('1', '2025-01-01T00:00:00.000Z', { disclosed: ['age_over_18'] }),
        entry('2', '2025-01-03T00:00:00.000Z', { disclosed: ['name', 'age_over_18'], kind: 'direct' }),
        entry('3', '2025-01-04T00:00:00.000Z', { disclosed: ['birthdate'], result: 'declined' }),
        entry('4', '2025-01-02T00:00:00.000Z', { platform: counter, kind: 'onsite', disclosed: ['name'] }),
        entry('5', '2025-01-05T00:00:00.000Z', { disclosed: [], kind: 'direct' }),
      ]),
    );
    expect(list.map((p) => p.clientId)).toEqual(['forum', 'counter']);
    expect(list[0]).toMatchObject({
      uses: 3,
      lastUsed: '2025-01-05T00:00:00.000Z',
      disclosed: ['age_over_18', 'name'],
      kinds: ['direct', 'signin'],
      credential: undefined,
    });
    expect(list[1]).toMatchObject({ uses: 1, kinds: ['onsite'], disclosed: ['name'] });
  });

  it('adds cached application credentials, also for a platform with no approved entry', () => {
    const list = connectedPlatforms(
      contents([entry('1', '2025-01-01T00:00:00.000Z', {})], {
        forum: { credential: 'x', expiresAt: 100 },
        other: { credential: 'y', expiresAt: 200 },
      }),
    );
    expect(list.map((p) => [p.clientId, p.credential?.expiresAt, p.uses])).toEqual([
      ['forum', 100, 1],
      ['other', 200, 0],
    ]);
    expect(list[1]!.platform).toBeUndefined();
  });

  it('is empty for a wallet that never approved anything', () => {
    expect(
      connectedPlatforms(contents([entry('1', '2025-01-01T00:00:00.000Z', { result: 'refused' })])),
    ).toEqual([]);
  });
});
