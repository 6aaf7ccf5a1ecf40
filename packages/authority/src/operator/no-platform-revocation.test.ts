import { randomBytes } from 'node:crypto';
import { presentSdJwt } from '@netid/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeServed, type ServedAuthority } from '../issuance/test-support.ts';
import { call, enrollDevice, TEST_PASSWORD } from '../selfservice/test-support.ts';

/**
 * DESIGN.md guarantee 5: platforms cannot revoke, suspend or flag a person. Only the holder (with a
 * fresh presentation of their own certificate) and the operator (with the operator token) can; the
 * test enumerates every route of the app, so a route added later is covered too.
 */

/** Routes that change a certificate's or a person's standing, and who may call them. */
const GUARDED: Record<string, 'holder' | 'operator'> = {
  'POST /selfservice/certificates/:id/revoke': 'holder',
  'POST /selfservice/cancel': 'holder',
  'POST /operator/certificates/:id/revoke': 'operator',
  // Suspends a platform, not a person; listed so that it too is shown closed to platforms.
  'POST /operator/platforms/:clientId/suspend': 'operator',
};
const STANDING_WORDS = /revoc|revok|cancel|suspend|flag|ban|block|report|disable|invalidat/i;

const TOKEN = randomBytes(32).toString('base64url');

function appRoutes(served: ServedAuthority) {
  const seen = new Set<string>();
  const routes: { method: string; path: string }[] = [];
  for (const r of served.authority.app.routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path });
  }
  return routes;
}

async function standing(served: ServedAuthority, netNumber: string) {
  const person = await served.ctx.db
    .selectFrom('persons')
    .select(['state', 'password_hash'])
    .where('net_number', '=', netNumber)
    .executeTakeFirstOrThrow();
  const certificates = await served.ctx.db
    .selectFrom('certificates')
    .select(['certificate_id', 'revoked_at'])
    .where('net_number', '=', netNumber)
    .orderBy('certificate_id')
    .execute();
  const shards = await served.ctx.db
    .selectFrom('status_shards')
    .select(['shard', 'version'])
    .orderBy('shard')
    .execute();
  return { person, certificates, shards };
}

describeServed('no platform can revoke (guarantee 5)', (served) => {
  beforeAll(() => {
    served.ctx.config.operatorToken = TOKEN;
  });

  it('has no route that could change a person’s standing besides the guarded ones', () => {
    const routes = appRoutes(served);
    expect(routes.length).toBeGreaterThan(5);
    const standingRoutes = routes
      .filter((r) => STANDING_WORDS.test(r.path))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(standingRoutes).toEqual(Object.keys(GUARDED).sort());
  });

  it('refuses every guarded route without the holder’s presentation or the operator token', async () => {
    const device = await enrollDevice(served, 'R-770001');
    const before = await standing(served, device.netNumber);
    // What a platform holds: a presentation made for it, and credentials of its own.
    const forPlatform = presentSdJwt(device.credential, {
      disclose: { net_number: true },
      keyBinding: {
        key: device.key,
        audience: 'https://forum.example',
        nonce: 'platform-nonce',
        iat: Math.floor(served.clock.now / 1000),
      },
    });
    const platformCredentials = [
      undefined,
      'Bearer platform-access-token',
      `NetID ${forPlatform}`,
      `Bearer ${forPlatform}`,
      `DPoP ${randomBytes(16).toString('base64url')}`,
    ];
    for (const [route, who] of Object.entries(GUARDED)) {
      const [method, template] = route.split(' ') as [string, string];
      const path = template.replace(':id', device.certificateId);
      for (const authorization of platformCredentials) {
        const res = await call(served, method, path, {
          ...(authorization ? { authorization } : {}),
          body: { reason: 'enrollment_fraud', password: TEST_PASSWORD },
        });
        expect({ route, authorization, status: res.status }).toEqual({ route, authorization, status: 401 });
        expect(res.body.code).toMatch(
          who === 'holder' ? /authentication_required|invalid_presentation/ : /operator_unauthorized/,
        );
      }
    }
    expect(await standing(served, device.netNumber)).toEqual(before);
  });

  it('changes nobody’s standing through any route of the app, called as a platform', async () => {
    const device = await enrollDevice(served, 'R-770002');
    const before = await standing(served, device.netNumber);
    const body = JSON.stringify({
      reason: 'enrollment_fraud',
      password: TEST_PASSWORD,
      overlapDays: 1,
      certificate_id: device.certificateId,
      net_number: device.netNumber,
    });
    for (const route of appRoutes(served)) {
      const path = route.path
        .replace(/:netNumber\b|:number\b/g, device.netNumber)
        .replace(/:[A-Za-z_]+(\{[^}]*\})?/g, device.certificateId)
        .replace(/\*/g, 'anything');
      const methods = route.method === 'ALL' ? ['GET', 'POST'] : [route.method];
      for (const method of methods) {
        for (const authorization of [undefined, 'Bearer platform-access-token']) {
          await served.authority.app.request(path, {
            method,
            headers: {
              'content-type': 'application/json',
              ...(authorization ? { authorization } : {}),
            },
            ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
          });
        }
      }
    }
    expect(await standing(served, device.netNumber)).toEqual(before);
  });
});
