/**
 * What status lists need from storage. A shard is one published Status List Token; certificates
 * point into it by (shard, index). Nothing here names a person: a slot knows only its certificate.
 */

/** A shard's bookkeeping and what its last publication was (the token itself is read separately). */
export interface ShardState {
  shard: number;
  bits: number;
  size: number;
  allocated: number;
  /** Bumped by every revocation in the shard. */
  version: number;
  /** The version the stored token reflects; -1 before the first publication. */
  publishedVersion: number;
  etag: string | null;
  publishedAt: Date | null;
  expiresAt: Date | null;
}

/** A signed token to store, and the published state it must replace (compare-and-set). */
export interface Publication {
  version: number;
  token: string;
  etag: string;
  publishedAt: Date;
  expiresAt: Date;
}

export interface ExpectedPublication {
  publishedVersion: number;
  etag: string | null;
}

export interface Revocation {
  certificateId: string;
  shard: number;
  index: number;
  revokedAt: Date;
  reason: string;
}

export interface StatusStore {
  /**
   * Counts one allocation in the lowest-numbered shard still below `fill` of its size and returns
   * it; undefined when every shard is that full. The update locks the shard row until the caller's
   * transaction ends, which makes the following free-index check see every committed slot.
   */
  takeShardWithRoom(fill: number): Promise<{ shard: number; size: number; allocated: number } | undefined>;
  /**
   * Creates the shard after the highest existing one (or shard 0) unless some shard is still below
   * `fill`; a no-op when a racer made it first.
   */
  createNextShard(size: number, bits: number, fill: number): Promise<void>;
  /** Creates shard `shard` if it does not exist yet. */
  ensureShard(shard: number, size: number, bits: number): Promise<void>;
  /** Which of `candidates` are already given to a certificate in `shard`. */
  takenIndexes(shard: number, candidates: number[]): Promise<Set<number>>;
  /**
   * Marks the certificate revoked and bumps its shard's version, unless it already was revoked (then
   * the first revocation stands). Undefined for an unknown certificate. Needs a transaction.
   */
  revoke(
    certificateId: string,
    reason: string,
    at: Date,
  ): Promise<(Revocation & { alreadyRevoked: boolean }) | undefined>;
  listShards(): Promise<ShardState[]>;
  findShard(shard: number): Promise<(ShardState & { token: string | null }) | undefined>;
  /** Indexes of revoked certificates in `shard`, in no particular order. */
  revokedIndexes(shard: number): Promise<number[]>;
  /** Stores the token only if nobody published since `expected` was read; true when stored. */
  savePublication(shard: number, expected: ExpectedPublication, publication: Publication): Promise<boolean>;
}
