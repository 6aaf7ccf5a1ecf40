// DESIGN.md guarantee 4, on the bytes: after real enrollments and issuances, neither the database
// columns nor any file of the PGlite data directory (heap, WAL, everything) holds a plaintext
// document or phone number, and neither do the service's logs.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { generateSigningKey } from '@netid/protocol';
import { describe, expect, it } from 'vitest';
import { createAuthority } from './authority.ts';
import { loadConfig } from './config.ts';
import { enrollToIssuable, overHttp, seedResidents, testResident } from './enrollment/test-support.ts';
import { walletObtainsCertificate } from './issuance/test-support.ts';
import { findPlaintext } from './testing/scan-plaintext.ts';

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

describe('no plaintext document or phone number at rest (guarantee 4)', () => {
  it('is absent from every table, every data-directory file and the logs', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'netid-privacy-'));
    const server = serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => app(r) });
    let app: (r: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const logs: string[] = [];
    const authority = await createAuthority(loadConfig({ NETID_PUBLIC_URL: url, NETID_DATA_DIR: dataDir }), {
      log: (l) => logs.push(l),
      publishIntervalMs: false,
    });
    app = authority.app.fetch;

    const people = [
      { resident: testResident({ name: '张伟', birthdate: '1985-02-11' }), phone: '13912345678' },
      {
        resident: testResident({ name: '李娜', birthdate: '1999-12-01', type: 'prc_passport' }),
        phone: '15087654321',
      },
      {
        resident: testResident({ name: '陈静', birthdate: '1970-07-07', type: 'taiwan_residence_permit' }),
        phone: '18600001111',
      },
    ];
    await seedResidents(
      authority.ctx,
      people.map((p) => p.resident),
    );
    for (const { resident, phone } of people) {
      const enrolled = await enrollToIssuable(overHttp(url), resident, { phone });
      const code =
        enrolled.answer.credentialOffer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
          'pre-authorized_code'
        ];
      await walletObtainsCertificate(authority.ctx, generateSigningKey('ES256'), {
        code,
        txCode: enrolled.txCode,
      });
    }
    const needles = people.flatMap((p) => [p.resident.documents[0]!.number, p.phone]);
    expect(await findPlaintext(authority.ctx.db, needles)).toEqual([]);
    await authority.close();
    server.close();

    // Raw bytes of every file PGlite wrote, after a clean shutdown flushed everything.
    const hits: string[] = [];
    let control = false;
    for (const path of files(dataDir)) {
      const bytes = readFileSync(path);
      for (const needle of needles) if (bytes.includes(Buffer.from(needle))) hits.push(`${path}: ${needle}`);
      // Control: the stand-in registry keeps names in clear, so the scan must find this one.
      if (bytes.includes(Buffer.from(people[1]!.resident.name))) control = true;
    }
    expect(control).toBe(true);
    expect(hits).toEqual([]);
    for (const needle of needles) expect(logs.join('\n')).not.toContain(needle);
  });
});
