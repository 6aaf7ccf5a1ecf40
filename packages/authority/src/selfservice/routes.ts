import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import { NO_STORE } from '../http/no-store.ts';
import { Problem } from '../http/problem.ts';
import { readBody } from '../http/validate.ts';
import { sqlSelfServiceStore } from '../sql/selfservice.ts';
import { revocationBody, revokeCertificate } from '../status/revoke.ts';
import { authenticateHolder, CHALLENGE_SECONDS } from './authenticate.ts';
import { checkPassword } from './password.ts';
import type { DeviceCertificate } from './store.ts';

/** The reasons a holder may give; the others (document invalidated, deceased …) are the operator's. */
export const HOLDER_REVOCATION_REASONS = ['lost_device', 'holder_request'] as const;

// The password is 8 digits, but a wrong format is just a wrong password: it must count as one.
const password = z.string().min(1).max(128);
const revokeBody = z.object({ password, reason: z.string().max(64) });
const cancelBody = z.object({ password });
const certificateId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

function device(certificate: DeviceCertificate, current: string) {
  return {
    id: certificate.certificateId,
    issued_at: certificate.issuedAt.toISOString(),
    expires_at: certificate.expiresAt.toISOString(),
    revoked: certificate.revokedAt !== null,
    ...(certificate.revokedAt
      ? { revoked_at: certificate.revokedAt.toISOString(), revocation_reason: certificate.revocationReason }
      : {}),
    this_device: certificate.certificateId === current,
  };
}

/**
 * Holder self-service (DESIGN.md flow 4). Every request but the challenge carries a fresh
 * presentation of the holder's certificate; revoking and cancelling also need the password.
 */
export function selfServiceRoutes(ctx: AuthorityContext): Hono {
  const app = new Hono();
  const store = sqlSelfServiceStore(ctx.db);
  const now = () => new Date(ctx.now());
  const holderOf = (c: Context) => authenticateHolder(ctx, store, c);

  app.post('/selfservice/challenge', async (c) => {
    const nonce = randomBytes(24).toString('base64url');
    await store.insertChallenge(nonce, new Date(ctx.now() + CHALLENGE_SECONDS * 1000), now());
    return c.json({ nonce, expires_in: CHALLENGE_SECONDS }, 200, NO_STORE);
  });

  app.get('/selfservice/devices', async (c) => {
    const holder = await holderOf(c);
    const certificates = await store.listCertificates(holder.netNumber);
    return c.json(
      {
        net_number: holder.netNumber,
        devices: certificates.map((cert) => device(cert, holder.certificate.certificateId)),
      },
      200,
      NO_STORE,
    );
  });

  app.post('/selfservice/certificates/:id/revoke', async (c) => {
    const holder = await holderOf(c);
    const body = await readBody(c, revokeBody);
    if (!(HOLDER_REVOCATION_REASONS as readonly string[]).includes(body.reason)) {
      throw new Problem(
        400,
        'invalid_reason',
        'unknown revocation reason',
        `allowed: ${HOLDER_REVOCATION_REASONS.join(', ')}`,
      );
    }
    const id = certificateId.safeParse(c.req.param('id'));
    const target = id.success ? await store.findCertificate(id.data) : undefined;
    // Someone else's certificate is indistinguishable from none at all.
    if (!target || target.netNumber !== holder.netNumber) {
      throw new Problem(404, 'certificate_not_found', 'no such certificate');
    }
    await checkPassword(store, holder.netNumber, body.password, now());
    const result = await revokeCertificate(
      ctx.db,
      target.certificateId,
      body.reason as (typeof HOLDER_REVOCATION_REASONS)[number],
      now(),
    );
    return c.json(revocationBody(result), 200, NO_STORE);
  });

  app.post('/selfservice/cancel', async (c) => {
    const holder = await holderOf(c);
    const body = await readBody(c, cancelBody);
    await checkPassword(store, holder.netNumber, body.password, now());
    const revoked = await store.cancel(holder.netNumber, 'holder_request', now());
    if (revoked === undefined)
      throw new Problem(409, 'already_cancelled', 'this network number is cancelled');
    return c.json({ state: 'cancelled', revoked_certificates: revoked }, 200, NO_STORE);
  });

  app.get('/selfservice/access-log', async (c) => {
    const holder = await holderOf(c);
    const entries = await store.accessLog(holder.netNumber);
    return c.json(
      {
        entries: entries.map((e) => ({
          at: e.at.toISOString(),
          actor: e.actor,
          reason: e.reason,
          ...(e.detail ? { detail: e.detail } : {}),
        })),
      },
      200,
      NO_STORE,
    );
  });

  return app;
}
