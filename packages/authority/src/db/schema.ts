import type { ColumnType, Generated } from 'kysely';

/**
 * The authority's tables. What is NOT here matters as much (DESIGN.md guarantees 2 and 4): no table
 * records which platform a person uses or when they authenticate, and no column holds a plaintext
 * document number, phone number or face image — only keyed hashes and envelope-encrypted attributes.
 */
export interface Schema {
  /** Issuer signing keys, private halves encrypted under the key-encryption key. */
  issuer_keys: {
    kid: string;
    alg: string;
    public_jwk: ColumnType<Record<string, unknown>, string, string>;
    private_key_enc: Buffer;
    created_at: ColumnType<Date, Date, never>;
    /** Signs new credentials from then on (the newest active key signs). */
    activated_at: Date | null;
    /** No longer signs; still published until every credential it signed has expired. */
    retired_at: Date | null;
    /** Dropped from the JWKS after this. */
    unpublish_after: Date | null;
  };
  /** Named secrets (HMAC keys for dedupe and application identifiers), encrypted under the KEK. */
  secrets: {
    name: string;
    value_enc: Buffer;
    created_at: ColumnType<Date, Date, never>;
  };
  /** Stand-in for the ministry's population registry: people. */
  registry_persons: {
    person_id: string;
    name: string;
    name_pinyin: string;
    birthdate: string;
    sex: string;
    photo_ref: string;
    deceased: boolean;
  };
  /** Stand-in for the population registry: documents, found by a keyed hash of type and number. */
  registry_documents: {
    lookup_hash: Buffer;
    person_id: string;
    document_type: string;
    valid_from: string;
    valid_until: string | null;
    status: string;
  };
  /** The network-number registry: one row per person, whatever their devices. */
  persons: {
    net_number: string;
    /** HMAC of the registry person identity: the same person always finds this row again. */
    dedupe_hash: Buffer;
    /** Name, birthdate, document type — envelope-encrypted, needed to (re-)issue certificates. */
    attributes_enc: Buffer | null;
    password_hash: string | null;
    password_failures: Generated<number>;
    password_locked_until: Date | null;
    state: Generated<string>;
    created_at: ColumnType<Date, Date, never>;
    cancelled_at: Date | null;
  };
  /** Network certificates: one per device key. */
  certificates: {
    certificate_id: string;
    net_number: string;
    device_thumbprint: string;
    status_shard: number;
    status_index: number;
    issued_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
    revocation_reason: string | null;
  };
  /** Status list shards and their last published token. */
  status_shards: {
    shard: number;
    bits: number;
    size: number;
    allocated: Generated<number>;
    /** Bumped on every revocation so the publisher knows to re-sign. */
    version: Generated<number>;
    published_version: Generated<number>;
    token: string | null;
    etag: string | null;
    published_at: Date | null;
    expires_at: Date | null;
  };
  /** Server-side enrollment sessions; each step a state with an expiry. */
  enrollment_sessions: {
    session_id_hash: Buffer;
    state: string;
    expires_at: Date;
    /** Registry person, document type, minor flags … encrypted. */
    data_enc: Buffer | null;
    phone_hash: Buffer | null;
    otp_hash: string | null;
    otp_attempts: Generated<number>;
    otp_expires_at: Date | null;
    otp_sent_at: Date | null;
    otp_sends: Generated<number>;
    /** argon2id of the 8-digit password, moved to `persons` when the certificate is issued. */
    password_hash: string | null;
    pre_authorized_code_hash: Buffer | null;
    tx_code_hash: string | null;
    tx_code_attempts: Generated<number>;
    /** HMAC of the OID4VCI access token the redeemed code gave; spent by the one credential request. */
    access_token_hash: Buffer | null;
    access_token_expires_at: Date | null;
    net_number: string | null;
    created_at: ColumnType<Date, Date, never>;
  };
  /** Single-use nonces (OID4VCI c_nonce, self-service challenges): linked to no person. */
  nonces: {
    nonce: string;
    purpose: string;
    expires_at: Date;
  };
  /** Every read of a person's record by an operator, with its reason (guarantee 6). */
  access_log: {
    id: Generated<string>;
    net_number: string;
    actor: string;
    reason: string;
    detail: string | null;
    at: ColumnType<Date, Date, never>;
  };
  /**
   * Enrollment abuse limits: one fixed-window counter per keyed hash (of a phone hash or a client
   * address, labelled by limit). Nothing else is kept, and a row is deleted once its window ends, so
   * the table never becomes a record of who enrolled when (guarantee 2).
   */
  rate_limits: {
    key_hash: Buffer;
    window_start: Date;
    /** The window's end: when the row may be deleted. */
    expires_at: Date;
    count: number;
  };
  /** The operator's register of platforms (relying parties). Names no person. */
  platforms: {
    client_id: string;
    kind: string;
    /** Keys the pairwise application identifier; unique, so no two platforms share identifiers. */
    sector: string;
    name_zh: string;
    name_en: string;
    purpose_zh: string;
    purpose_en: string;
    redirect_uris: ColumnType<string[], string, string>;
    post_logout_redirect_uris: ColumnType<string[], string, string>;
    /** Public keys: private_key_jwt client authentication and signed direct-verification requests. */
    jwks: ColumnType<{ keys: Record<string, unknown>[] } | null, string | null, string | null>;
    /** Development only; sealed under the KEK. */
    client_secret_enc: Buffer | null;
    allowed_claims: ColumnType<string[], string, string>;
    allowed_modes: ColumnType<string[], string, string>;
    may_request_net_number: boolean;
    /** pending → approved ⇄ suspended */
    state: string;
    created_at: ColumnType<Date, Date, never>;
    updated_at: Date;
  };
  /**
   * UNLOGGED: minutes-long state of sign-ins and offers (OpenID Provider models, wallet requests).
   * Never durable, never replicated, deleted when used or expired.
   */
  transient: {
    kind: string;
    id: string;
    payload: ColumnType<Record<string, unknown>, string, string>;
    grant_id: string | null;
    uid: string | null;
    user_code: string | null;
    expires_at: Date;
    consumed_at: Date | null;
  };
  /** The development SMS adapter's outbox; phone numbers appear masked only. */
  sms_outbox: {
    id: Generated<string>;
    to_masked: string;
    message: string;
    sent_at: ColumnType<Date, Date, never>;
  };
}
