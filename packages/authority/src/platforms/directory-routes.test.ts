import { expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import { platformRecord } from './test-support.ts';

describeServed('the public list of platforms', (served) => {
  it('lists the approved platforms only, with who they are and why they ask, and nothing else', async () => {
    const store = sqlPlatformStore(served.ctx.db);
    const forum = platformRecord({
      kind: 'internet',
      state: 'approved',
      name: { zh: '示例论坛', en: 'Example Forum' },
      purpose: { zh: '确认您是真实的人', en: 'Confirm you are a real person' },
    });
    // Listed in the order they were registered.
    const counter = platformRecord({ state: 'approved', createdAt: new Date('2026-02-01T00:00:00Z') });
    const pending = platformRecord({ state: 'pending' });
    const suspended = platformRecord({ state: 'suspended' });
    for (const p of [forum, pending, counter, suspended]) await store.insert(p);

    const res = await fetch(`${served.url}/platforms`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const body = (await res.json()) as { platforms: Record<string, unknown>[] };
    expect(body).toEqual({
      platforms: [forum, counter].map((p) => ({
        client_id: p.clientId,
        kind: p.kind,
        name: p.name,
        purpose: p.purpose,
      })),
    });
  });
});
