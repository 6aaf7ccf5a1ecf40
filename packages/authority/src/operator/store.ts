/** What the operator API needs from storage. */

export interface OperatorCertificate {
  certificateId: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
}

/** A person's record as an operator may see it: there is no plaintext document number to show. */
export interface PersonRecord {
  netNumber: string;
  state: string;
  createdAt: Date;
  cancelledAt: Date | null;
  certificates: OperatorCertificate[];
}

export interface AccessLogEntry {
  actor: string;
  reason: string;
  detail: string | null;
  at: Date;
}

export interface OperatorStore {
  /**
   * Reads the person and writes the access-log entry in ONE transaction (guarantee 6): a read that
   * is not logged never happens. Undefined, and nothing logged, for an unknown number.
   */
  readPersonLogged(netNumber: string, entry: AccessLogEntry): Promise<PersonRecord | undefined>;
}
