import type { PersonStore } from '../persons/store.ts';
import type { Platform } from '../platforms/platform.ts';

/** What issuance needs from storage. Codes, tokens and nonces are looked up by keyed hash only. */

/** An enrollment session found by its pre-authorized code. */
export interface CodeSession {
  sessionIdHash: Buffer;
  state: string;
  expiresAt: Date;
  txCodeHash: string | null;
  txCodeAttempts: number;
}

/** What the credential request needs from the session the access token belongs to. */
export interface SpentSession {
  sessionIdHash: Buffer;
  dataSealed: Uint8Array;
  passwordHash: string | null;
}

export interface StatusSlot {
  shard: number;
  index: number;
  uri: string;
}

export interface NewCertificate {
  certificateId: string;
  netNumber: string;
  deviceThumbprint: string;
  slot: StatusSlot;
  issuedAt: Date;
  expiresAt: Date;
}

export interface IssuanceStore {
  findSessionByCodeHash(codeHash: Buffer): Promise<CodeSession | undefined>;
  /**
   * Counts one tx_code attempt before the code is checked, so parallel guesses cannot exceed the
   * limit; false when the session has no attempt left or is no longer redeemable.
   */
  reserveTxCodeAttempt(sessionIdHash: Buffer, maxAttempts: number, now: Date): Promise<boolean>;
  /** `issuable` → `token_issued`, storing the access token's hash; false when someone was first. */
  redeemCode(
    sessionIdHash: Buffer,
    now: Date,
    accessToken: { hash: Buffer; expiresAt: Date },
  ): Promise<boolean>;
  isAccessTokenLive(accessTokenHash: Buffer, now: Date): Promise<boolean>;
  insertNonce(nonce: string, purpose: string, expiresAt: Date): Promise<void>;
  /** Deletes the nonce if it is live; true when this call consumed it. */
  consumeNonce(nonce: string, purpose: string, now: Date): Promise<boolean>;
  /**
   * Runs `work` in one transaction. A unique violation (a status slot or network number taken by a
   * concurrent transaction) rolls it back and runs it again, so `work` must only touch the database.
   */
  transaction<T>(work: (tx: IssuanceTransaction) => Promise<T>): Promise<T>;
}

export interface IssuanceTransaction {
  persons: PersonStore;
  /** `token_issued` → `issued` for a live access token; undefined when spent, expired or unknown. */
  spendAccessToken(accessTokenHash: Buffer, now: Date): Promise<SpentSession | undefined>;
  allocateStatusSlot(): Promise<StatusSlot>;
  insertCertificate(certificate: NewCertificate): Promise<void>;
  /** Records the number on the session and drops what it no longer needs (attributes, password hash). */
  finishSession(sessionIdHash: Buffer, netNumber: string): Promise<void>;
}

/** What an application-credential offer reads; it writes nothing durable (guarantee 2). */
export interface ApplicationCredentialStore {
  /** The registered platform in any state; the offer decides what pending or suspended means. */
  findPlatform(clientId: string): Promise<Platform | undefined>;
  /** The person's sealed attributes (name, birthdate, document type); undefined when erased. */
  personAttributesSealed(netNumber: string): Promise<Uint8Array | undefined>;
}
