/**
 * The network certificate's vocabulary (DESIGN.md): every role names it the same way, so it lives
 * here rather than in the authority that issues it.
 */
export const CERTIFICATE_VCT = 'urn:netid:certificate:1';

/** The personal claims of a network certificate; each is selectively disclosable. */
export const CERTIFICATE_CLAIMS = [
  'net_number',
  'name',
  'birthdate',
  'age_over_14',
  'age_over_16',
  'age_over_18',
  'document_type',
  'enrollment_level',
  'face_match',
] as const;
