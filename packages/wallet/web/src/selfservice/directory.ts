import { isPlainObject } from '@netid/protocol/json';
import { requestJson } from '../../../src/http.ts';
import { AuthorityRefusedError, problemFrom } from '../../../src/problems.ts';

/** A platform as the authority's public register lists it. */
export interface DirectoryEntry {
  client_id: string;
  kind: 'government' | 'internet';
  name: { zh: string; en: string };
  purpose: { zh: string; en: string };
}

const isEntry = (v: unknown): v is DirectoryEntry =>
  isPlainObject(v) && typeof v.client_id === 'string' && isPlainObject(v.name);

/** Where a platform stands in the authority's public directory now. */
export type DirectoryState = 'approved' | 'suspended' | 'unlisted';

// The directory is cacheable for a minute; this screen answers "is it suspended now?", so it asks
// the server again (a revalidation) rather than showing what the browser kept.
const fresh: typeof fetch = (input, init) => fetch(input, { ...init, cache: 'no-cache' });

const get = (authority: string, path: string) =>
  requestJson(
    new URL(path, authority),
    { method: 'GET', authority, label: `GET ${path}`, fetch: fresh },
    (status, parsed) => new AuthorityRefusedError(problemFrom(status, parsed)),
  );

/**
 * The approved platforms: one answer, the same for everyone, so asking tells the authority nothing
 * about which platforms this person uses (DESIGN.md guarantee 2).
 */
export async function approvedPlatforms(authority: string): Promise<DirectoryEntry[]> {
  const answer = await get(authority, '/platforms');
  return Array.isArray(answer.platforms) ? answer.platforms.filter(isEntry) : [];
}

/**
 * One platform's state, asked only for a platform the list leaves out (to tell a suspended one from
 * one that is gone): 403 `platform_suspended`, 404 `platform_not_found`. Other failures are thrown.
 */
export async function platformState(authority: string, clientId: string): Promise<DirectoryState> {
  try {
    await get(authority, `/platforms/${encodeURIComponent(clientId)}`);
    return 'approved';
  } catch (error) {
    const problem = (error as { problem?: { code?: unknown; status?: unknown } }).problem;
    if (problem?.code === 'platform_suspended' || problem?.status === 403) return 'suspended';
    if (problem?.code === 'platform_not_found' || problem?.status === 404) return 'unlisted';
    throw error;
  }
}
