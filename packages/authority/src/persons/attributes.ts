import { z } from 'zod';
import type { Sealer } from '../keys/kek.ts';

/** What a certificate states about its holder, kept sealed on the person to (re-)issue certificates. */
export const personAttributesSchema = z.object({
  name: z.string().min(1),
  birthdate: z.iso.date(),
  documentType: z.string().min(1),
});

export type PersonAttributes = z.infer<typeof personAttributesSchema>;

// The row's identity is the associated data: attributes copied onto another person do not open.
const context = (netNumber: string) => `person:${netNumber}`;

export function sealPersonAttributes(
  sealer: Sealer,
  netNumber: string,
  attributes: PersonAttributes,
): Buffer {
  const { name, birthdate, documentType } = attributes;
  return sealer.seal(Buffer.from(JSON.stringify({ name, birthdate, documentType })), context(netNumber));
}

export function openPersonAttributes(
  sealer: Sealer,
  netNumber: string,
  sealed: Uint8Array,
): PersonAttributes {
  return personAttributesSchema.parse(JSON.parse(sealer.open(sealed, context(netNumber)).toString('utf8')));
}
