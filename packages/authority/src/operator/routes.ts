import { parseNetNumber } from '@netid/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import { NO_STORE } from '../http/no-store.ts';
import { Problem } from '../http/problem.ts';
import { readBody } from '../http/validate.ts';
import { sqlOperatorStore } from '../sql/operator.ts';
import {
  isRevocationReason,
  REVOCATION_REASONS,
  revocationBody,
  revokeCertificate,
} from '../status/revoke.ts';
import { isLookupReason, LOOKUP_REASONS } from './lookup-reasons.ts';
import { operatorGuard } from './token.ts';

/** One shared token today, so every entry names the same actor; per-operator accounts would refine it. */
export const OPERATOR_ACTOR = 'operator';

const certificateId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const revokeBody = z.object({ reason: z.unknown().optional() });
const rotateBody = z.object({ overlapDays: z.number().int().min(1).max(3650) });

/**
 * The access-log detail is shown to the holder and kept at rest: a case reference, not a place for
 * a document or phone number (guarantee 4), so long runs of digits are refused.
 */
const detailQuery = z
  .string()
  .max(200)
  .refine((s) => !/\d{7,}/.test(s), 'must not contain a document or phone number')
  .optional();

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The operator API. The only way in is the operator token; no route here or anywhere else lets a
 * platform revoke, suspend or flag a person (guarantee 5), and every person read is logged
 * (guarantee 6).
 */
export function operatorRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const store = sqlOperatorStore(ctx.db);
  app.use('/operator/*', operatorGuard(ctx));

  app.post('/operator/certificates/:id/revoke', async (c) => {
    const body = await readBody(c, revokeBody);
    if (!isRevocationReason(body.reason)) {
      throw new Problem(
        400,
        'invalid_reason',
        'unknown revocation reason',
        `allowed: ${REVOCATION_REASONS.join(', ')}`,
      );
    }
    const id = certificateId.safeParse(c.req.param('id'));
    if (!id.success) throw new Problem(404, 'certificate_not_found', 'no such certificate');
    const result = await revokeCertificate(ctx.db, id.data, body.reason, new Date(ctx.now()));
    return c.json(revocationBody(result), 200, NO_STORE);
  });

  app.get('/operator/persons/:netNumber', async (c) => {
    // The reason first: a request without one reads nothing and logs nothing.
    // Exactly one: a repeated parameter is ambiguous about what the log should say.
    const reasons = c.req.queries('reason') ?? [];
    const reason = reasons[0];
    if (reasons.length !== 1 || !isLookupReason(reason)) {
      throw new Problem(
        400,
        'reason_required',
        'a lookup needs a reason from the fixed set',
        `allowed: ${LOOKUP_REASONS.join(', ')}`,
      );
    }
    const details = c.req.queries('detail') ?? [];
    const detail = detailQuery.safeParse(details[0]);
    if (details.length > 1 || !detail.success) {
      const why = detail.success ? 'give one detail at most' : detail.error.issues[0]?.message;
      throw new Problem(400, 'invalid_detail', 'the detail is not acceptable', why);
    }
    const netNumber = parseNetNumber(c.req.param('netNumber'));
    const person = await store.readPersonLogged(netNumber, {
      actor: OPERATOR_ACTOR,
      reason,
      detail: detail.data ?? null,
      at: new Date(ctx.now()),
    });
    if (!person) throw new Problem(404, 'person_not_found', 'no such network number');
    return c.json(
      {
        net_number: person.netNumber,
        state: person.state,
        created_at: person.createdAt.toISOString(),
        cancelled_at: isoOrNull(person.cancelledAt),
        certificates: person.certificates.map((cert) => ({
          id: cert.certificateId,
          issued_at: cert.issuedAt.toISOString(),
          expires_at: cert.expiresAt.toISOString(),
          revoked_at: isoOrNull(cert.revokedAt),
          revocation_reason: cert.revocationReason,
        })),
      },
      200,
      NO_STORE,
    );
  });

  app.post('/operator/keys/rotate', async (c) => {
    const body = await readBody(c, rotateBody);
    const key = await ctx.issuerKeys.rotate(body.overlapDays * 86_400);
    return c.json({ kid: key.kid, alg: key.alg }, 200, NO_STORE);
  });

  return app;
}
