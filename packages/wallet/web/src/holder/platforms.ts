import { isPlainObject } from '@netid/protocol/json';
import type { VaultContents } from '../vault/contents.ts';

/** A platform as the authority's public register lists it. */
export interface DirectoryEntry {
  client_id: string;
  kind: 'government' | 'internet';
  name: { zh: string; en: string };
  purpose: { zh: string; en: string };
}

const isEntry = (v: unknown): v is DirectoryEntry =>
  isPlainObject(v) && typeof v.client_id === 'string' && isPlainObject(v.name);

/**
 * Where an on-site code can be shown: platforms this wallet has verified with directly first (from
 * its own history), then the rest of the register. The register is public; asking for it tells the
 * authority nothing about the person.
 */
export async function listPlatforms(authority: string, contents: VaultContents): Promise<DirectoryEntry[]> {
  const res = await fetch(`${authority}/platforms`, { headers: { accept: 'application/json' } });
  const body: unknown = res.ok ? await res.json() : {};
  const list = Array.isArray(body) ? body : isPlainObject(body) ? body.platforms : undefined;
  const all = Array.isArray(list) ? list.filter(isEntry) : [];
  const used = new Set(Object.keys(contents.applicationCredentials));
  for (const h of contents.history) if (h.kind !== 'signin') used.add(h.platform.clientId);
  // Then government services (counters check on site), then the rest.
  const rank = (p: DirectoryEntry) => (used.has(p.client_id) ? 0 : p.kind === 'government' ? 1 : 2);
  return [...all].sort((a, b) => rank(a) - rank(b));
}
