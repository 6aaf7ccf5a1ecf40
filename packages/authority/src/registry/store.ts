/**
 * The population registry the authority checks documents against (a stand-in for the ministry's).
 * Documents are kept under a keyed hash of type and number only: the registry table cannot be read
 * back into a list of document numbers (DESIGN.md guarantee 4).
 */

/** One identity document of a resident, as the seeder hands it over (the number in plaintext). */
export interface ResidentDocument {
  type: string;
  number: string;
  /** 'YYYY-MM-DD'. */
  validFrom: string;
  /** 'YYYY-MM-DD', or null for a long-term (长期) document. */
  validUntil: string | null;
  /** 'valid', or why not ('invalidated', 'lost' …): only 'valid' documents match. */
  status: string;
}

/** A person of the registry with their documents (the shape of `generateResidents`' output). */
export interface Resident {
  personId: string;
  name: string;
  namePinyin: string;
  /** 'YYYY-MM-DD'. */
  birthdate: string;
  sex: string;
  photoRef: string;
  deceased: boolean;
  documents: readonly ResidentDocument[];
}

/** What enrollment asks: everything on the document the person typed in. */
export interface RegistryQuery {
  type: string;
  number: string;
  name: string;
  birthdate: string;
}

/** A successful match: the registry's own record of who this is. */
export interface RegistryMatch {
  personId: string;
  name: string;
  birthdate: string;
  documentType: string;
  validUntil: string | null;
}

export interface InsertedCount {
  /** Rows actually written; rows already present (a re-seed) are not counted. */
  persons: number;
  documents: number;
}

export interface PopulationRegistry {
  /**
   * The registry record when the document exists and is valid today, the person is alive, and name
   * and birthdate are exactly the registry's; undefined otherwise — never which of these failed.
   */
  match(query: RegistryQuery): Promise<RegistryMatch | undefined>;
  /** Bulk insert for seeding: batched multi-row INSERTs; rows already present are left as they are. */
  insertResidents(residents: readonly Resident[]): Promise<InsertedCount>;
}
