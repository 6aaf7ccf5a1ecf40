import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startAuthority } from '@netid/authority';
import { expect, it } from 'vitest';
import { freePort } from '../../../authority/src/testing/free-port.ts';
import type { Io } from '../io.ts';
import { runCli } from '../testing.ts';
import { demoAlongside } from './authority.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => {
    text += String(c);
  });
  return { stream, text: () => text };
}

it('netid authority --demo: starts the forum and the counter after the authority, prints them, stops them', async () => {
  const port = await freePort();
  const [forumPort, counterPort] = [await freePort(), await freePort()];
  const out = capture();
  const err = capture();
  const io: Io = { stdin: new PassThrough(), stdout: out.stream, stderr: err.stream };
  let stop!: () => void;
  const until = new Promise<void>((r) => {
    stop = r;
  });
  const env = { NETID_DATA_DIR: mkdtempSync(join(tmpdir(), 'netid-cli-demo-')), NETID_PORT: String(port) };
  const running = startAuthority(env, {
    out: out.stream,
    err: err.stream,
    until,
    alongside: demoAlongside(io, { forum: String(forumPort), counter: String(counterPort) }),
  });
  await expect.poll(() => out.text(), { timeout: 30_000 }).toContain('demo platforms');
  expect(out.text()).toContain(`forum   http://127.0.0.1:${forumPort}/`);
  expect(out.text()).toContain(`counter http://127.0.0.1:${counterPort}/`);
  // The token made up for this run is printed once, for the operator.
  expect(err.text()).toMatch(/operator API token \(development, generated at start\): \S{43}/);
  const forum = await fetch(`http://127.0.0.1:${forumPort}/`, { headers: { 'accept-language': 'en' } });
  expect(await forum.text()).toContain('Sign in with netid');
  const counter = await fetch(`http://127.0.0.1:${counterPort}/`, { headers: { 'accept-language': 'en' } });
  expect(counter.status).toBe(200);
  stop();
  expect(await running).toBe(0);
  await expect(fetch(`http://127.0.0.1:${forumPort}/`)).rejects.toThrow();
});

it('refuses demo ports without --demo, and a port that is not one', async () => {
  const without = await runCli(['authority', '--forum-port', '9000']);
  expect(without.code).toBe(2);
  expect(without.stderr).toContain('go with --demo');
  const bad = await runCli(['authority', '--demo', '--counter-port', '99999']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--counter-port takes a port number');
});
