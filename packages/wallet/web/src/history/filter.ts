import type { HistoryEntry, HistoryKind, HistoryResult } from '../vault/contents.ts';

export interface HistoryFilter {
  /** Matched against the platform's name in either language and its client id, ignoring case. */
  text: string;
  result: HistoryResult | 'all';
  kind: HistoryKind | 'all';
}

export const NO_FILTER: HistoryFilter = { text: '', result: 'all', kind: 'all' };

/** The entries that pass the filter, newest first (whatever order the vault holds them in). */
export function filterHistory(entries: readonly HistoryEntry[], filter: HistoryFilter): HistoryEntry[] {
  const needle = filter.text.trim().toLocaleLowerCase();
  return entries
    .filter(
      (e) =>
        (filter.result === 'all' || e.result === filter.result) &&
        (filter.kind === 'all' || e.kind === filter.kind) &&
        (needle === '' ||
          [e.platform.name.zh, e.platform.name.en, e.platform.clientId].some((s) =>
            s.toLocaleLowerCase().includes(needle),
          )),
    )
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
