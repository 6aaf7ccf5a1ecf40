import type { HistoryEntry, HistoryKind, VaultContents } from '../vault/contents.ts';

/** A platform this wallet has shared something with, as only the wallet knows it. */
export interface ConnectedPlatform {
  clientId: string;
  /** From the newest approved entry; undefined for a platform known only by a cached credential. */
  platform: HistoryEntry['platform'] | undefined;
  /** How the wallet answered it (sign-in, direct, on-site), most used first. */
  kinds: HistoryKind[];
  uses: number;
  lastUsed: string | undefined;
  /** Every claim ever disclosed to it, in the order first disclosed. */
  disclosed: string[];
  /** The cached direct-verification credential, when the wallet holds one (expiry in seconds). */
  credential: { expiresAt: number } | undefined;
}

/**
 * The wallet's connected platforms: approved history entries grouped by client id, plus any
 * platform with a cached application credential. Most recently used first; credential-only last.
 */
export function connectedPlatforms(contents: VaultContents): ConnectedPlatform[] {
  type Counting = ConnectedPlatform & { kindCounts: Map<HistoryKind, number> };
  const byId = new Map<string, Counting>();
  const fresh = (clientId: string): Counting => ({
    clientId,
    platform: undefined,
    kinds: [],
    kindCounts: new Map(),
    uses: 0,
    lastUsed: undefined,
    disclosed: [],
    credential: undefined,
  });
  const oldestFirst = [...contents.history].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const e of oldestFirst) {
    if (e.result !== 'approved') continue;
    const p = byId.get(e.platform.clientId) ?? fresh(e.platform.clientId);
    p.platform = e.platform;
    p.uses++;
    p.lastUsed = e.at;
    p.kindCounts.set(e.kind, (p.kindCounts.get(e.kind) ?? 0) + 1);
    for (const claim of e.disclosed) if (!p.disclosed.includes(claim)) p.disclosed.push(claim);
    byId.set(p.clientId, p);
  }
  for (const [clientId, { expiresAt }] of Object.entries(contents.applicationCredentials)) {
    const p = byId.get(clientId) ?? fresh(clientId);
    p.credential = { expiresAt };
    byId.set(clientId, p);
  }
  return [...byId.values()]
    .map(({ kindCounts, ...p }) => ({
      ...p,
      kinds: [...kindCounts.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k),
    }))
    .sort((a, b) => {
      if (a.lastUsed === b.lastUsed) return a.clientId < b.clientId ? -1 : 1;
      if (a.lastUsed === undefined) return 1;
      if (b.lastUsed === undefined) return -1;
      return a.lastUsed < b.lastUsed ? 1 : -1;
    });
}
