import { KeySet, STATUS, verifyStatusListJwt } from '@netid/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishStatusLists, tokenEtag } from './publisher.ts';
import { revokeCertificate } from './revoke.ts';
import { matchesIfNoneMatch } from './routes.ts';
import { insertCertificate, insertPerson, statusBackends, type TestAuthority } from './test-support.ts';

for (const backend of statusBackends) {
  describe.skipIf(!backend.available)(`GET /status/:shard on ${backend.name}`, () => {
    let authority: TestAuthority;
    let person: string;
    beforeAll(async () => {
      authority = await backend.open({ shardSize: 2 ** 10 });
      person = await insertPerson(authority.ctx.db);
    });
    afterAll(() => authority?.close());

    it('publishes a never-published shard on demand and serves it with its cache headers', async () => {
      const { slot } = await insertCertificate(authority.ctx, person);
      const row = () =>
        authority.ctx.db
          .selectFrom('status_shards')
          .selectAll()
          .where('shard', '=', 0)
          .executeTakeFirstOrThrow();
      expect((await row()).token).toBeNull();
      const res = await authority.app.request('/status/0');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
      expect(res.headers.get('cache-control')).toBe('public, max-age=30');
      const token = await res.text();
      // A strong validator (no W/), the hash of exactly these bytes.
      expect(res.headers.get('etag')).toBe(tokenEtag(token));
      expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect((await row()).token).toBe(token);
      const verified = verifyStatusListJwt(token, new KeySet(authority.ctx.issuerKeys.jwks()), {
        uri: slot.uri,
        now: Math.floor(authority.clock.now / 1000),
      });
      expect(verified.list.get(slot.index)).toBe(STATUS.VALID);
    });

    it('answers 304 to a matching If-None-Match, and the new list once it changed', async () => {
      await publishStatusLists(authority.ctx);
      const first = await authority.app.request('/status/0');
      const etag = first.headers.get('etag')!;
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const res = await authority.app.request('/status/0', { headers: { 'if-none-match': header } });
        expect({ header, status: res.status }).toEqual({ header, status: 304 });
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('cache-control')).toBe('public, max-age=30');
        expect(await res.text()).toBe('');
      }
      const { certificateId } = await insertCertificate(authority.ctx, person);
      await revokeCertificate(authority.ctx.db, certificateId, 'holder_request', new Date());
      authority.clock.now += 1000;
      await publishStatusLists(authority.ctx);
      const changed = await authority.app.request('/status/0', { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('re-publishes on demand a list the publisher let expire', async () => {
      await publishStatusLists(authority.ctx);
      const before = await (await authority.app.request('/status/0')).text();
      authority.clock.now += 25 * 3_600_000;
      const res = await authority.app.request('/status/0');
      const token = await res.text();
      expect(token).not.toBe(before);
      expect(() =>
        verifyStatusListJwt(token, new KeySet(authority.ctx.issuerKeys.jwks()), {
          now: Math.floor(authority.clock.now / 1000),
        }),
      ).not.toThrow();
    });

    it.each(['7', '00', '01', '-1', '+1', '1e0', '0x0', 'abc', '0.0', '9999999999', '0%20'])(
      'shard %j: 404 problem',
      async (shard) => {
        const res = await authority.app.request(`/status/${shard}`);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
      },
    );

    it('lists every shard in the issuer metadata', async () => {
      const res = await authority.app.request('/.well-known/jwt-vc-issuer');
      const body = (await res.json()) as { status_lists: string[] };
      expect(body.status_lists).toEqual([`${authority.ctx.config.publicUrl}/status/0`]);
    });
  });
}

describe('matchesIfNoneMatch (RFC 9110 §13.1.2, weak comparison)', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['"abc"', true],
    ['W/"abc"', true],
    [' "x" , "abc" ', true],
    ['*', true],
    ['"abd"', false],
    ['abc', false],
    ['', false],
  ])('%j → %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, '"abc"')).toBe(expected);
  });
});
