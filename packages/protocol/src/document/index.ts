export { ymdFromDays } from './calendar.ts';
export { generateForeignPermanentResidentId2017 } from './foreign-permanent-resident.ts';
export { computeGb11643CheckChar } from './gb11643.ts';
export { computeIcao9303CheckDigit } from './icao9303.ts';
export { seededRandom } from './random.ts';
export {
  DOCUMENT_TYPES,
  type DocumentGenerateOptions,
  type DocumentType,
  type DocumentValidateOptions,
  isDocumentType,
  type RandomSource,
  type ValidatedDocument,
} from './types.ts';
export { generateDocumentNumber, normalizeDocumentNumber, validateDocumentNumber } from './validate.ts';
