/** What the keys module needs from storage. */
export interface StoredIssuerKey {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  privateKeySealed: Buffer;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  unpublishAfter: Date | null;
}

export interface KeyStore {
  listIssuerKeys(): Promise<StoredIssuerKey[]>;
  insertIssuerKey(key: StoredIssuerKey): Promise<void>;
  /** Retires every active key except `keepKid`, to stay published until `unpublishAfter`. */
  retireOthers(keepKid: string, at: Date, unpublishAfter: Date): Promise<void>;
  /** Inserts the secret unless one of that name exists; returns the stored one either way. */
  getOrInsertSecret(name: string, sealed: Buffer): Promise<Buffer>;
}
