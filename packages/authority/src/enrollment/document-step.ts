import { type DocumentType, validateDocumentNumber } from '@netid/protocol';
import { z } from 'zod';
import { ageOver } from '../issuance/certificate.ts';
import { sealSessionData } from './data.ts';
import { problems } from './problems.ts';
import { type Enrollment, explainLostRace, sessionForStep } from './session.ts';
import { GUARDIAN_AGE, STATE } from './states.ts';

export const documentBody = z.object({
  type: z.string().max(64),
  number: z.string().max(128),
  name: z.string().min(1).max(100),
  birthdate: z.iso.date(),
});

/**
 * The document step: the number's format and check digit first (a typo is the user's to fix, so
 * that answer is specific), then the registry, whose refusal is deliberately not.
 */
export async function documentStep(
  e: Enrollment,
  token: string,
  body: z.infer<typeof documentBody>,
): Promise<{ next: 'phone' }> {
  const session = await sessionForStep(e, token, 'document');
  const now = e.ctx.now();
  // Throws NetidError (ERR_DOCUMENT_*): a 400 with that code, never echoing the number.
  const document = validateDocumentNumber(body.type as DocumentType, body.number, { now: new Date(now) });

  const match = await e.registry.match({
    type: document.type,
    number: document.number,
    name: body.name,
    birthdate: body.birthdate,
  });
  if (!match) throw problems.registryMismatch();

  const minor = !ageOver(match.birthdate, GUARDIAN_AGE, new Date(now));
  const dataSealed = sealSessionData(e.ctx.sealer, session.idHash, {
    personId: match.personId,
    name: match.name,
    birthdate: match.birthdate,
    documentType: match.documentType,
  });
  const to = minor ? STATE.guardianRequired : STATE.phone;
  const moved = await e.store.transition(
    session.idHash,
    { state: STATE.document },
    to,
    { dataSealed },
    new Date(now),
  );
  if (!moved) return explainLostRace(e, token, 'document');
  if (minor) throw problems.guardianRequired();
  return { next: 'phone' };
}
