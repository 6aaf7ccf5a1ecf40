import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startAuthority } from '@netid/authority';
import { expect, it } from 'vitest';
import { freePort } from '../../../authority/src/testing/free-port.ts';
import { Browser, hrefOf } from '../../../demo/src/test-support.ts';
import type { Io } from '../io.ts';
import { runCli } from '../testing.ts';
import { demoAlongside, demoEnv } from './authority.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => {
    text += String(c);
  });
  return { stream, text: () => text };
}

it('netid authority --demo: starts the forum, the counter and the web wallet after the authority, prints them, stops them', async () => {
  const port = await freePort();
  const [forumPort, counterPort, walletPort] = [await freePort(), await freePort(), await freePort()];
  const walletUrl = `http://127.0.0.1:${walletPort}/`;
  const out = capture();
  const err = capture();
  const io: Io = { stdin: new PassThrough(), stdout: out.stream, stderr: err.stream };
  let stop!: () => void;
  const until = new Promise<void>((r) => {
    stop = r;
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'netid-cli-demo-'));
  const env = demoEnv({ NETID_DATA_DIR: dataDir, NETID_PORT: String(port) }, String(walletPort));
  expect(env.NETID_WALLET_URL).toBe(walletUrl);
  const running = startAuthority(env, {
    out: out.stream,
    err: err.stream,
    until,
    alongside: demoAlongside(io, {
      forum: String(forumPort),
      counter: String(counterPort),
      wallet: String(walletPort),
    }),
  });
  // Fails at once, with what it said, should the start fail (a web wallet that does not build, say).
  const exited = running.then((code) => {
    throw new Error(`netid authority exited with ${code}: ${err.text()}`);
  });
  await Promise.race([
    expect.poll(() => out.text(), { timeout: 60_000 }).toContain('demo platforms'),
    exited,
  ]);
  expect(out.text()).toContain(`forum   http://127.0.0.1:${forumPort}/`);
  expect(out.text()).toContain(`counter http://127.0.0.1:${counterPort}/`);
  expect(out.text()).toContain(`web wallet: ${walletUrl}`);
  // The token made up for this run is printed once, for the operator.
  expect(err.text()).toMatch(/operator API token \(development, generated at start\): \S{43}/);
  const forum = await fetch(`http://127.0.0.1:${forumPort}/`, { headers: { 'accept-language': 'en' } });
  expect(await forum.text()).toContain('Sign in with netid');
  const counter = await fetch(`http://127.0.0.1:${counterPort}/`, { headers: { 'accept-language': 'en' } });
  expect(counter.status).toBe(200);

  // The web wallet, built into the data directory, trusting this authority.
  const wallet = await fetch(walletUrl);
  expect(wallet.status).toBe(200);
  expect(await wallet.text()).toContain('/assets/');
  expect(existsSync(join(dataDir, 'wallet-web', 'index.html'))).toBe(true);
  expect(await (await fetch(`${walletUrl}config.json`)).json()).toEqual({
    authority: `http://127.0.0.1:${port}`,
  });
  // The authority lists the two demo platforms for it to offer.
  const listed = (await (await fetch(`http://127.0.0.1:${port}/platforms`)).json()) as {
    platforms: { client_id: string }[];
  };
  expect(listed.platforms).toHaveLength(2);

  // Both same-device links open the web wallet with the request in the fragment.
  const clerk = new Browser({ 'accept-language': 'en' });
  const check = await clerk.follow(`http://127.0.0.1:${counterPort}/checks`, { form: {} });
  expect(hrefOf(check.text, 'open-wallet')).toMatch(
    new RegExp(`^${walletUrl.replaceAll('.', '\\.')}#request=openid4vp%3A%2F%2F%3F`),
  );
  const signIn = await new Browser({ 'accept-language': 'en' }).follow(`http://127.0.0.1:${forumPort}/login`);
  expect(signIn.url).toContain(`http://127.0.0.1:${port}/oidc/interaction/`);
  const href = hrefOf(signIn.text, 'open-wallet');
  expect(href.startsWith(`${walletUrl}#request=`)).toBe(true);
  expect(decodeURIComponent(href.slice(`${walletUrl}#request=`.length))).toMatch(
    /^openid4vp:\/\/\?client_id=/,
  );

  stop();
  expect(await running).toBe(0);
  await expect(fetch(`http://127.0.0.1:${forumPort}/`)).rejects.toThrow();
  await expect(fetch(walletUrl)).rejects.toThrow();
}, 90_000);

it('settles the web wallet URL before the authority starts, unless it is configured', () => {
  expect(demoEnv({ NETID_PORT: '9000' }, undefined).NETID_WALLET_URL).toBe('http://127.0.0.1:9003/');
  expect(demoEnv({}, '8600').NETID_WALLET_URL).toBe('http://127.0.0.1:8600/');
  expect(demoEnv({ NETID_WALLET_URL: 'https://wallet.example/' }, '8600').NETID_WALLET_URL).toBe(
    'https://wallet.example/',
  );
  // Left to the OS, or a configuration startAuthority will refuse: nothing to settle.
  expect(demoEnv({ NETID_PORT: '0' }, undefined).NETID_WALLET_URL).toBeUndefined();
  expect(demoEnv({ NETID_PORT: 'eighty' }, undefined).NETID_WALLET_URL).toBeUndefined();
});

it('refuses demo ports without --demo, and a port that is not one', async () => {
  const without = await runCli(['authority', '--forum-port', '9000']);
  expect(without.code).toBe(2);
  expect(without.stderr).toContain('go with --demo');
  const wallet = await runCli(['authority', '--wallet-port', '9000']);
  expect(wallet.code).toBe(2);
  expect(wallet.stderr).toContain('go with --demo');
  const bad = await runCli(['authority', '--demo', '--counter-port', '99999']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--counter-port takes a port number');
});
