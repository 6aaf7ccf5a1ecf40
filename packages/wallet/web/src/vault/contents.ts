/** What the vault holds, all of it encrypted at rest under the wallet passphrase. */
export interface VaultContents {
  v: 1;
  /** The network certificate(s) as issued (compact SD-JWT VC); the newest is used. */
  credentials: StoredCredential[];
  /** Application credentials by platform client id, reused until shortly before they expire. */
  applicationCredentials: Record<string, { credential: string; expiresAt: number }>;
  /** Every approval, denial and refusal: kept here and nowhere else (the authority logs none). */
  history: HistoryEntry[];
}

export interface StoredCredential {
  credential: string;
  issuer: string;
  receivedAt: string;
}

export type HistoryKind = 'signin' | 'direct' | 'onsite';
export type HistoryResult = 'approved' | 'declined' | 'refused';

export interface HistoryEntry {
  id: string;
  at: string;
  kind: HistoryKind;
  platform: { clientId: string; kind: 'government' | 'internet'; name: { zh: string; en: string } };
  /** Claims the platform asked for. */
  requested: string[];
  /** Claims actually disclosed (empty unless approved). */
  disclosed: string[];
  mode: string;
  result: HistoryResult;
  /** For a refusal: the stable code it came with. */
  reason?: string;
}

export const emptyContents = (): VaultContents => ({
  v: 1,
  credentials: [],
  applicationCredentials: {},
  history: [],
});
