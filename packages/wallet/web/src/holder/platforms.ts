import { approvedPlatforms, type DirectoryEntry } from '../selfservice/directory.ts';
import type { VaultContents } from '../vault/contents.ts';

export type { DirectoryEntry };

/**
 * Where an on-site code can be shown: platforms this wallet has verified with directly first (from
 * its own history), then government services (counters check on site), then the rest.
 */
export async function listPlatforms(authority: string, contents: VaultContents): Promise<DirectoryEntry[]> {
  const used = new Set(Object.keys(contents.applicationCredentials));
  for (const h of contents.history) if (h.kind !== 'signin') used.add(h.platform.clientId);
  const rank = (p: DirectoryEntry) => (used.has(p.client_id) ? 0 : p.kind === 'government' ? 1 : 2);
  return (await approvedPlatforms(authority)).sort((a, b) => rank(a) - rank(b));
}
