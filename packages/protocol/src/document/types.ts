/**
 * Identity documents accepted at enrollment (DESIGN.md, flow 1). The ids are stable: they are stored
 * and appear in credentials as the document type, so never rename one.
 */
export const DOCUMENT_TYPES = [
  'resident_id', // 居民身份证
  'hk_macao_residence_permit', // 港澳居民居住证
  'taiwan_residence_permit', // 台湾居民居住证
  'hk_macao_travel_permit', // 港澳居民来往内地通行证
  'taiwan_travel_permit', // 台湾居民来往大陆通行证
  'foreign_permanent_resident_id', // 外国人永久居留身份证
  'prc_passport', // 中华人民共和国普通护照
] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const KNOWN = new Set<string>(DOCUMENT_TYPES);

export function isDocumentType(value: unknown): value is DocumentType {
  return typeof value === 'string' && KNOWN.has(value);
}

export interface ValidatedDocument {
  type: DocumentType;
  /** Canonical form: upper case, no separators. The form to hash for deduplication. */
  number: string;
  /** 'YYYY-MM-DD', for the types whose number encodes an unambiguous birthdate. */
  birthdate?: string;
}

export interface DocumentValidateOptions {
  /** The clock for the "birthdate not in the future" rule; defaults to now. */
  now?: Date;
}

/** A uniform float in [0, 1), like Math.random; inject a seeded one for reproducible output. */
export type RandomSource = () => number;

export interface DocumentGenerateOptions {
  /** 'YYYY-MM-DD' for the types that encode it; otherwise a random day in 1930–2019. */
  birthdate?: string;
  /** Defaults to Math.random: synthetic numbers are test data, not secrets. */
  random?: RandomSource;
}
