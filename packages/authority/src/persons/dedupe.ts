import { createHmac } from 'node:crypto';

/**
 * The keyed hash that finds a person again, whatever document or device they enroll with: an HMAC of
 * the population-registry person identifier (not of a document number, so a new passport or a
 * resident ID card of the same person lands on the same row). Unlinkable without the dedupe secret.
 */
export function personDedupeHash(dedupeSecret: Buffer, registryPersonId: string): Buffer {
  return createHmac('sha256', dedupeSecret).update(`registry-person:${registryPersonId}`).digest();
}
