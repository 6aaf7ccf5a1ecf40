// End to end: @netid/verifier against the authority served over real HTTP on loopback. The verifier
// learns every shard from the issuer metadata, so no presentation waits on a fetch, and it sees a
// revocation once the publisher re-signed the list and its cache refreshed.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { generateSigningKey, presentSdJwt } from '@netid/protocol';
import { createVerifier } from '@netid/verifier';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCertificate } from '../issuance/certificate.ts';
import { startStatusPublisher } from './publisher.ts';
import { revokeCertificate } from './revoke.ts';
import { insertCertificate, insertPerson, statusBackends, type TestAuthority } from './test-support.ts';

const AUDIENCE = 'https://forum.example';

for (const backend of statusBackends) {
  describe.skipIf(!backend.available)(`a verifier over HTTP, authority on ${backend.name}`, () => {
    let authority: TestAuthority;
    let server: ReturnType<typeof serve>;
    let url: string;
    beforeAll(async () => {
      let app: Hono | undefined;
      // Listen first: the public URL (issuer and status list URIs) must name the port the OS picked.
      server = serve({
        hostname: '127.0.0.1',
        port: 0,
        fetch: (request) => (app ? app.fetch(request) : new Response('starting', { status: 503 })),
      });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      authority = await backend.open({ publicUrl: url });
      // Real time: the verifier's clock and the tokens' iat/exp must agree.
      authority.ctx.now = Date.now;
      app = authority.app;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await authority?.close();
    });

    it('sees a revocation within seconds of startStatusPublisher re-signing the list', async () => {
      const { ctx } = authority;
      const holder = generateSigningKey('ES256');
      const person = await insertPerson(ctx.db);
      const { certificateId, slot } = await insertCertificate(ctx, person);
      const now = new Date();
      const credential = signCertificate(
        {
          issuer: url,
          netNumber: person,
          attributes: { name: '张伟', birthdate: '1990-03-07', documentType: 'resident_id' },
          deviceJwk: holder.publicJwk,
          slot,
          issuedAt: now,
          expiresAt: new Date(now.getTime() + 86_400_000),
        },
        ctx.issuerKeys.signing(),
      );
      let n = 0;
      const presentAndVerify = () => {
        const nonce = `nonce-${n++}`;
        const presentation = presentSdJwt(credential, {
          disclose: { age_over_18: true },
          keyBinding: { key: holder, audience: AUDIENCE, nonce },
        });
        return verifier.verify(presentation, { audience: AUDIENCE, nonce });
      };

      const publisher = startStatusPublisher(ctx, { intervalMs: 100 });
      // Refresh every second (the authority says 30 s; the floor and ceiling make the test fast).
      const verifier = createVerifier({ issuer: url, cache: { minRefreshSeconds: 1, maxRefreshSeconds: 1 } });
      try {
        await verifier.ready();
        // Valid, and from memory: the shard was preloaded from the issuer metadata's status_lists.
        await expect(presentAndVerify()).resolves.toMatchObject({ claims: { age_over_18: true } });

        const revokedAt = Date.now();
        await revokeCertificate(ctx.db, certificateId, 'lost_device', new Date(revokedAt));
        let code: unknown;
        while (Date.now() - revokedAt < 4000) {
          code = await presentAndVerify().then(
            () => undefined,
            (error: { code?: unknown }) => error.code,
          );
          if (code !== undefined) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(code).toBe('ERR_STATUS_REVOKED');
        expect(Date.now() - revokedAt).toBeLessThan(4000);
      } finally {
        verifier.close();
        await publisher.stop();
      }
    });
  });
}
