import { z } from 'zod';
import type { Sealer } from '../keys/kek.ts';

/**
 * What the session keeps about the person, sealed under the KEK with the session as associated data.
 * The first four fields are issuance's hand-off (`issuance/issue-certificate.ts`); the phone number is
 * kept only from the OTP step until the tx_code has been texted to it, then sealed away without it.
 */
export const sessionDataSchema = z.object({
  personId: z.string().min(1),
  name: z.string().min(1),
  birthdate: z.iso.date(),
  documentType: z.string().min(1),
  phone: z.string().optional(),
});

export type SessionData = z.infer<typeof sessionDataSchema>;

const context = (idHash: Buffer) => `enrollment:${idHash.toString('hex')}`;

export function sealSessionData(sealer: Sealer, idHash: Buffer, data: SessionData): Buffer {
  return sealer.seal(Buffer.from(JSON.stringify(data)), context(idHash));
}

export function openSessionData(sealer: Sealer, idHash: Buffer, sealed: Uint8Array): SessionData {
  return sessionDataSchema.parse(JSON.parse(sealer.open(sealed, context(idHash)).toString('utf8')));
}
