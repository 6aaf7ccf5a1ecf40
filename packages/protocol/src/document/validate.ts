import { fail } from '../errors.ts';
import { chinaToday, resolveBirthDigits } from './calendar.ts';
import { foreignPermanentResidentId } from './foreign-permanent-resident.ts';
import { prcPassport } from './passport.ts';
import { hkMacaoResidencePermit, taiwanResidencePermit } from './residence-permit.ts';
import { residentId } from './resident-id.ts';
import type { DocumentSpec } from './spec.ts';
import { hkMacaoTravelPermit, taiwanTravelPermit } from './travel-permit.ts';
import type {
  DocumentGenerateOptions,
  DocumentType,
  DocumentValidateOptions,
  ValidatedDocument,
} from './types.ts';

const SPECS: Record<DocumentType, DocumentSpec> = {
  resident_id: residentId,
  hk_macao_residence_permit: hkMacaoResidencePermit,
  taiwan_residence_permit: taiwanResidencePermit,
  hk_macao_travel_permit: hkMacaoTravelPermit,
  taiwan_travel_permit: taiwanTravelPermit,
  foreign_permanent_resident_id: foreignPermanentResidentId,
  prc_passport: prcPassport,
};

function specOf(type: unknown): DocumentSpec {
  // Object.hasOwn: a type id from a request body must not reach '__proto__' or 'toString'.
  if (typeof type !== 'string' || !Object.hasOwn(SPECS, type)) {
    fail('ERR_DOCUMENT_TYPE_UNKNOWN', 'unknown document type');
  }
  return SPECS[type as DocumentType];
}

/** Longer input is not a mistyped document number; refuse it before normalising. */
const MAX_INPUT_LENGTH = 64;

/** White space (NFKC has already turned full-width and ideographic spaces into U+0020) and dashes. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;

/** NFKC (full-width digits and letters → ASCII), upper case (so a trailing x becomes X), no separators. */
export function normalizeDocumentNumber(input: string): string {
  if (typeof input !== 'string') fail('ERR_DOCUMENT_FORMAT', 'document number must be a string');
  return input.normalize('NFKC').toUpperCase().replace(SEPARATORS, '');
}

/**
 * Validates a document number of the given type and returns its canonical form, plus the birthdate when
 * the number encodes one. Throws NetidError: ERR_DOCUMENT_TYPE_UNKNOWN, ERR_DOCUMENT_FORMAT,
 * ERR_DOCUMENT_CHECKSUM, ERR_DOCUMENT_REGION or ERR_DOCUMENT_BIRTHDATE, checked in that order.
 */
export function validateDocumentNumber(
  type: DocumentType,
  input: string,
  options: DocumentValidateOptions = {},
): ValidatedDocument {
  const spec = specOf(type);
  if (typeof input !== 'string') fail('ERR_DOCUMENT_FORMAT', `${spec.what} number must be a string`);
  if (input.length > MAX_INPUT_LENGTH) fail('ERR_DOCUMENT_FORMAT', `${spec.what} number is too long`);
  const today = chinaToday(options.now);
  if (!Number.isFinite(today)) fail('ERR_MALFORMED', 'options.now is not a valid date');
  const result = spec.validate(normalizeDocumentNumber(input), today);
  return { type, ...result };
}

/**
 * A synthetic number that validates as `type`, for the registry seeder and tests. With an injected
 * seeded source (seededRandom) the output is reproducible: nothing depends on the clock unless a
 * birthdate is given (it must not be in the future). Synthetic numbers are indistinguishable from real
 * ones by construction, so seeded registries must never be mixed with real data.
 */
export function generateDocumentNumber(type: DocumentType, options: DocumentGenerateOptions = {}): string {
  const spec = specOf(type);
  const random = options.random ?? Math.random;
  return spec.generate(random, spec.encodesBirthdate ? resolveBirthDigits(options.birthdate, random) : '');
}
