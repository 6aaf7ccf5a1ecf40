import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@netid/protocol';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeServed } from '../../../authority/src/issuance/test-support.ts';
import { findPlaintext } from '../../../authority/src/testing/scan-plaintext.ts';
import { runCli } from '../testing.ts';

const TOKEN = randomBytes(32).toString('base64url');
const dir = mkdtempSync(join(tmpdir(), 'netid-platform-cli-'));
let n = 0;
const nextId = () => `cli-${process.pid}-${++n}`;

function jwksFile(content: unknown): string {
  const path = join(dir, `jwks-${++n}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const publicKey = () => {
  const key = generateSigningKey('ES256');
  return { ...key.publicJwk, kid: key.kid };
};

const ADD = [
  'add',
  '--kind',
  'internet',
  '--name-zh',
  '示例论坛',
  '--name-en',
  'Example Forum',
  '--purpose-zh',
  '确认您是真实的人',
  '--purpose-en',
  'Confirm you are a real person',
  '--redirect-uri',
  'https://forum.example/cb',
  '--modes',
  'cert,cert+password',
];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('netid platform usage', () => {
  it('documents every command and the token variable in --help', async () => {
    const help = await runCli(['platform', '--help']);
    expect(help.code).toBe(0);
    for (const word of [
      'add',
      'list',
      'show',
      'approve',
      'suspend',
      '--redirect-uri',
      'NETID_OPERATOR_TOKEN',
    ]) {
      expect(help.stdout).toContain(word);
    }
  });

  it.each([
    [[], 'usage'],
    [['delete', 'x'], 'unknown command'],
    [['add'], 'add needs --kind, --name-zh'],
    [['add', ...ADD.slice(1, 3)], 'add needs --name-zh'],
    [ADD.filter((a) => a !== '--modes' && a !== 'cert,cert+password'), 'add needs --modes'],
    [['add', ...ADD.slice(3), '--kind', 'commercial'], '--kind must be government or internet'],
    [[...ADD, 'extra'], 'add takes no arguments'],
    [['list', 'x'], 'list takes no arguments'],
    [['show'], 'show takes one client id'],
    [['approve', 'a', 'b'], 'approve takes one client id'],
    [['suspend', '../operator'], 'suspend takes one client id'],
    [['approve', 'abc', '--kind', 'internet'], '--kind applies to add only'],
    [['list', '--token', 'x'], "Unknown option '--token'"],
    [['list', '--authority', 'ftp://h'], '--authority'],
  ])('refuses %j with exit 2', async (args, message) => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    const run = await runCli(['platform', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('needs the token from the environment', async () => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', '');
    const run = await runCli(['platform', 'list', '--authority', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'operator_token_missing' });
  });

  it('reports an unreadable or non-JSON key file before calling the authority', async () => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    const missing = await runCli(['platform', ...ADD, '--jwks', join(dir, 'absent.json')]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: 'jwks_unreadable' });
    const garbage = await runCli(['platform', ...ADD, '--jwks', jwksFile('not json')]);
    expect(garbage.code).toBe(1);
    expect(JSON.parse(garbage.stderr)).toMatchObject({ error: 'invalid_jwks' });
  });

  it('reports an unreachable authority as a problem', async () => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    const run = await runCli(['platform', 'list', '--authority', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: 'authority_unreachable' });
  });
});

describeServed('netid platform', (served) => {
  beforeAll(() => {
    served.ctx.config.operatorToken = TOKEN;
  });
  const cli = (...args: string[]) => {
    vi.stubEnv('NETID_OPERATOR_TOKEN', TOKEN);
    vi.stubEnv('NETID_AUTHORITY_URL', served.url);
    return runCli(['platform', ...args]);
  };
  const directory = (id: string) => fetch(`${served.url}/platforms/${id}`);

  it('adds a platform with a key file, lists it, approves and suspends it', async () => {
    const id = nextId();
    const key = publicKey();
    const added = await cli(...ADD, '--client-id', id, '--jwks', jwksFile(key), '--claims', 'age_over_18');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`client id       ${id}`);
    expect(added.stdout).toContain('state           pending');
    expect(added.stdout).toContain(`netid platform approve ${id}`);
    expect(added.stdout).not.toContain('client secret:');
    expect((await directory(id)).status).toBe(404);

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  pending  internet  Example Forum / 示例论坛`);

    const approved = await cli('approve', id);
    expect(approved).toMatchObject({ code: 0, stdout: `platform ${id} is now approved\n` });
    const entry = await (await directory(id)).json();
    expect(entry).toMatchObject({
      client_id: id,
      state: 'approved',
      allowed_claims: ['age_over_18'],
      allowed_modes: ['cert', 'cert+password'],
      jwks: { keys: [{ kid: key.kid, x: key.x, y: key.y }] },
    });

    const suspended = await cli('suspend', id, '--json');
    expect(suspended.code).toBe(0);
    expect(JSON.parse(suspended.stdout)).toMatchObject({ client_id: id, state: 'suspended' });
    expect((await directory(id)).status).toBe(403);

    const shown = await cli('show', id, '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ client_id: id, state: 'suspended', sector: id });
    const listedJson = JSON.parse((await cli('list', '--json')).stdout);
    expect(listedJson.platforms.find((p: { client_id: string }) => p.client_id === id)?.state).toBe(
      'suspended',
    );
  });

  it('adds an approved government platform that may ask for the network number', async () => {
    const id = nextId();
    const args = [
      'add',
      ...ADD.slice(3),
      '--kind',
      'government',
      '--client-id',
      id,
      '--jwks',
      jwksFile({ keys: [publicKey()] }),
    ];
    const added = await cli(
      ...args,
      '--claims',
      'name',
      '--net-number',
      '--sector',
      `${id}.sector`,
      '--approve',
      '--json',
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      client_id: id,
      kind: 'government',
      state: 'approved',
      sector: `${id}.sector`,
      allowed_claims: ['name', 'net_number'],
      may_request_net_number: true,
    });
    expect((await directory(id)).status).toBe(200);
  });

  it('prints a development client secret once; show never prints it again', async () => {
    const id = nextId();
    const added = await cli(
      ...ADD,
      '--client-id',
      id,
      '--client-secret',
      '--redirect-uri',
      'https://forum.example/cb2',
      '--post-logout-redirect-uri',
      'http://127.0.0.1:4000/bye',
    );
    expect(added.code).toBe(0);
    const secret = /client secret: (\S+)/.exec(added.stdout)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stdout).toContain('shown this once');
    const shown = await cli('show', id);
    expect(shown.stdout).toContain('client secret   yes (development)');
    expect(shown.stdout).toContain('http://127.0.0.1:4000/bye');
    expect(shown.stdout).not.toContain(secret);
    expect(await findPlaintext(served.ctx.db, [secret!])).toEqual([]);
  });

  it("turns the authority's refusals into {error, message} with exit 1", async () => {
    const face = await cli(...ADD.slice(0, -1), 'cert+face', '--jwks', jwksFile(publicKey()));
    expect(face.code).toBe(1);
    const problem = JSON.parse(face.stderr);
    expect(problem).toMatchObject({ error: 'mode_unavailable' });
    expect(problem.message).toContain('face');

    const key = generateSigningKey('ES256');
    const leaked = { ...(key.privateKey.export({ format: 'jwk' }) as object), kid: key.kid };
    const priv = await cli(...ADD, '--jwks', jwksFile(leaked));
    expect(JSON.parse(priv.stderr)).toMatchObject({ error: 'jwks_private_key' });
    const none = await cli(...ADD);
    expect(JSON.parse(none.stderr)).toMatchObject({ error: 'client_authentication_required' });

    const unknown = await cli('approve', 'no-such-platform');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: 'platform_not_found' });

    vi.stubEnv('NETID_OPERATOR_TOKEN', 'wrong');
    const refused = await runCli(['platform', 'list', '--authority', served.url]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: 'operator_unauthorized' });
  });
});
