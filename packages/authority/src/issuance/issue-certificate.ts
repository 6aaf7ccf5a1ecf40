import { randomBytes } from 'node:crypto';
import type { PublicJwk } from '@netid/protocol';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import { sealPersonAttributes } from '../persons/attributes.ts';
import { personDedupeHash } from '../persons/dedupe.ts';
import { findOrCreatePerson } from '../persons/find-or-create.ts';
import { signCertificate } from './certificate.ts';
import { oauthError } from './oauth-errors.ts';
import type { IssuanceStore } from './store.ts';

/** What enrollment sealed into the session for issuance (the enrollment module's hand-off). */
const enrollmentData = z.object({
  personId: z.string().min(1),
  name: z.string().min(1),
  birthdate: z.iso.date(),
  documentType: z.string().min(1),
});

export interface IssueRequest {
  accessTokenHash: Buffer;
  deviceJwk: PublicJwk;
  deviceThumbprint: string;
  now: Date;
}

/**
 * Spends the access token and issues the certificate in ONE transaction: the person is found by the
 * dedupe hash (or created with a fresh random number), their attributes and password are updated,
 * a status slot is taken and the certificate row written. The credential is signed inside the
 * transaction so that a signing failure leaves no certificate row behind. Undefined when the token
 * was spent by a concurrent request.
 */
export async function issueCertificate(
  ctx: AuthorityContext,
  store: IssuanceStore,
  request: IssueRequest,
): Promise<string | undefined> {
  const { now } = request;
  return store.transaction(async (tx) => {
    const session = await tx.spendAccessToken(request.accessTokenHash, now);
    if (!session) return undefined;
    const data = enrollmentData.parse(
      JSON.parse(
        ctx.sealer
          .open(session.dataSealed, `enrollment:${session.sessionIdHash.toString('hex')}`)
          .toString('utf8'),
      ),
    );
    const person = await findOrCreatePerson(
      tx.persons,
      personDedupeHash(ctx.secrets.dedupe, data.personId),
      now,
    );
    if (person.state !== 'active') {
      throw oauthError('credential_request_denied', 'this network number has been cancelled');
    }
    const attributes = { name: data.name, birthdate: data.birthdate, documentType: data.documentType };
    await tx.persons.updateEnrollment(person.netNumber, {
      attributesSealed: sealPersonAttributes(ctx.sealer, person.netNumber, attributes),
      passwordHash: session.passwordHash,
    });
    const slot = await tx.allocateStatusSlot();
    const expiresAt = new Date(now.getTime() + ctx.config.certificateDays * 86_400_000);
    await tx.insertCertificate({
      certificateId: randomBytes(16).toString('base64url'),
      netNumber: person.netNumber,
      deviceThumbprint: request.deviceThumbprint,
      slot,
      issuedAt: now,
      expiresAt,
    });
    await tx.finishSession(session.sessionIdHash, person.netNumber);
    return signCertificate(
      {
        issuer: ctx.config.publicUrl,
        netNumber: person.netNumber,
        attributes,
        deviceJwk: request.deviceJwk,
        slot,
        issuedAt: now,
        expiresAt,
      },
      ctx.issuerKeys.signing(),
    );
  });
}
