import { createHmac } from 'node:crypto';
import { normalizeDocumentNumber } from '@netid/protocol';

/**
 * How the registry finds a document without storing its number: HMAC-SHA256 under the registry
 * lookup secret over `type \n canonical number`. The type is part of the input because numbers of
 * different document types may coincide; the newline cannot occur in either part.
 */
export function documentLookupHash(secret: Buffer, type: string, number: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${type}\n${normalizeDocumentNumber(number)}`)
    .digest();
}
