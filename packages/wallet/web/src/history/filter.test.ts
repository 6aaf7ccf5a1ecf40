import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../vault/contents.ts';
import { filterHistory, NO_FILTER } from './filter.ts';

const entry = (id: string, at: string, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id,
  at,
  kind: 'signin',
  platform: { clientId: 'forum', kind: 'internet', name: { zh: '示例论坛', en: 'Sample Forum' } },
  requested: [],
  disclosed: [],
  mode: 'cert',
  result: 'approved',
  ...over,
});

const counter = {
  clientId: 'counter',
  kind: 'government' as const,
  name: { zh: '政务服务窗口', en: 'Service counter' },
};
const entries = [
  entry('a', '2025-01-01T00:00:00.000Z'),
  entry('b', '2025-03-01T00:00:00.000Z', { platform: counter, kind: 'onsite', result: 'refused' }),
  entry('c', '2025-02-01T00:00:00.000Z', { kind: 'direct', result: 'declined' }),
];
const ids = (list: HistoryEntry[]) => list.map((e) => e.id);

describe('filterHistory', () => {
  it('lists everything newest first when nothing is filtered', () => {
    expect(ids(filterHistory(entries, NO_FILTER))).toEqual(['b', 'c', 'a']);
  });

  it('matches the name in either language, ignoring case and spaces around', () => {
    expect(ids(filterHistory(entries, { ...NO_FILTER, text: ' forum ' }))).toEqual(['c', 'a']);
    expect(ids(filterHistory(entries, { ...NO_FILTER, text: '窗口' }))).toEqual(['b']);
  });

  it('filters by result and by kind together', () => {
    expect(ids(filterHistory(entries, { ...NO_FILTER, result: 'declined' }))).toEqual(['c']);
    expect(ids(filterHistory(entries, { ...NO_FILTER, kind: 'onsite', result: 'refused' }))).toEqual(['b']);
    expect(ids(filterHistory(entries, { ...NO_FILTER, kind: 'onsite', result: 'approved' }))).toEqual([]);
  });
});
