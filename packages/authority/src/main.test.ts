import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startAuthority } from './main.ts';
import { freePort } from './testing/free-port.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => {
    text += String(c);
  });
  return { stream, text: () => text };
}

describe('startAuthority (what npm start runs)', () => {
  it('seeds the registry, serves, prints a resident to enroll as, and stops cleanly', async () => {
    const port = await freePort();
    const out = capture();
    const err = capture();
    let stop!: () => void;
    const until = new Promise<void>((r) => {
      stop = r;
    });
    const env = { NETID_DATA_DIR: mkdtempSync(join(tmpdir(), 'netid-main-')), NETID_PORT: String(port) };
    const running = startAuthority(env, { seedResidents: 50, out: out.stream, err: err.stream, until });
    await expect.poll(() => out.text(), { timeout: 30_000 }).toContain('npx netid wallet enroll');
    expect(out.text()).toContain(`listening on http://127.0.0.1:${port}`);
    expect(out.text()).toMatch(/resident_id {2}\d{17}[\dX]/);
    const res = await fetch(`http://127.0.0.1:${port}/.well-known/openid-credential-issuer`);
    expect(res.status).toBe(200);
    stop();
    expect(await running).toBe(0);
    expect(err.text()).toContain('DEVELOPMENT key-encryption key');
  });

  it('refuses a bad configuration naming the variable, exit 1', async () => {
    const err = capture();
    expect(await startAuthority({ NETID_PORT: 'x' }, { err: err.stream, out: new PassThrough() })).toBe(1);
    expect(err.text()).toContain('NETID_PORT');
  });
});
