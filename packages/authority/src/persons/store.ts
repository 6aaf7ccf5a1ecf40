/** What the persons module (the network-number registry) needs from storage. */
export interface PersonRow {
  netNumber: string;
  /** `active` or `cancelled`. */
  state: string;
}

export interface NewPerson {
  netNumber: string;
  dedupeHash: Buffer;
  createdAt: Date;
}

export interface PersonStore {
  findByDedupeHash(dedupeHash: Buffer): Promise<PersonRow | undefined>;
  /**
   * Inserts the person unless the network number or the dedupe hash is already taken (then it
   * returns false and changes nothing): a conflict must not abort the surrounding transaction.
   */
  insertIfAbsent(person: NewPerson): Promise<boolean>;
  /** What the latest enrollment established: attributes (sealed) and, unless null, a new password hash. */
  updateEnrollment(
    netNumber: string,
    update: { attributesSealed: Buffer; passwordHash: string | null },
  ): Promise<void>;
}
