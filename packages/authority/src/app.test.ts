import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeySet } from '@netid/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthority } from './authority.ts';
import { loadConfig } from './config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'netid-app-'));
const logs: string[] = [];
const authority = await createAuthority(loadConfig({ NETID_DATA_DIR: dataDir }), {
  log: (l) => logs.push(l),
});
afterAll(() => authority.close());

describe('the authority app', () => {
  it('announces the development KEK loudly', () => {
    expect(logs.join('\n')).toContain('DEVELOPMENT key-encryption key');
  });

  it('publishes issuer metadata with a usable JWKS', async () => {
    const res = await authority.app.request('/.well-known/jwt-vc-issuer');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = (await res.json()) as { issuer: string; jwks: unknown };
    expect(body.issuer).toBe('http://127.0.0.1:8470');
    expect(new KeySet(body.jwks).size).toBe(1);
    expect(JSON.stringify(body.jwks)).not.toContain('"d"');
  });

  it('answers unknown paths, oversized and broken bodies with problem+json', async () => {
    const missing = await authority.app.request('/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ code: 'not_found', status: 404 });
    const big = await authority.app.request('/health', {
      method: 'POST',
      body: 'x'.repeat(100_000),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'body_too_large' });
  });

  it('keeps its issuer key across restarts, sealed at rest', async () => {
    const kid = authority.ctx.issuerKeys.signing().kid;
    const again = await createAuthority(loadConfig({ NETID_DATA_DIR: join(dataDir, 'other') }), {
      log: () => {},
    });
    expect(again.ctx.issuerKeys.signing().kid).not.toBe(kid);
    await again.close();
    const row = await authority.ctx.db.selectFrom('issuer_keys').selectAll().executeTakeFirstOrThrow();
    const der = authority.ctx.issuerKeys.signing().privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.from(row.private_key_enc).includes(der.subarray(-32))).toBe(false);
  });

  it('rotates with overlap: the old key stays in the JWKS', async () => {
    const before = authority.ctx.issuerKeys.signing().kid;
    const next = await authority.ctx.issuerKeys.rotate(3600);
    expect(next.kid).not.toBe(before);
    expect(authority.ctx.issuerKeys.signing().kid).toBe(next.kid);
    const kids = authority.ctx.issuerKeys.jwks().keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before, next.kid]));
  });
});
