/**
 * Why an operator may read a person's record (DESIGN.md guarantee 6). A fixed set, so the holder's
 * access log says something checkable rather than whatever was typed.
 */
export const LOOKUP_REASONS = [
  'holder_support_request',
  'court_order',
  'fraud_investigation',
  'document_invalidation',
  'deceased_report',
] as const;

export type LookupReason = (typeof LOOKUP_REASONS)[number];

export function isLookupReason(value: unknown): value is LookupReason {
  return typeof value === 'string' && (LOOKUP_REASONS as readonly string[]).includes(value);
}
