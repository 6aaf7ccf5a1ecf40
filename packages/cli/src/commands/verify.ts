import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkStatusValue,
  DEFAULT_MAX_TOKEN_BYTES,
  fail,
  isNetidError,
  KeySet,
  NetidError,
  parseStatusReference,
  type VerifiedStatusListToken,
  verifySdJwt,
  verifyStatusListJwt,
} from '@netid/protocol';
import { type Command, type Io, readAll, writeJson } from '../io.ts';

const USAGE = `usage: netid verify --jwks FILE (--aud AUD --nonce NONCE | --no-key-binding)
                    [--any-typ] [--now EPOCH_SECONDS] [--status-list FILE]...
Reads one compact SD-JWT presentation on stdin. Prints the processed claims as JSON and exits 0,
or prints {"error":"<code>","message":"..."} and exits 1. Exit 2: bad usage.
  --jwks FILE         issuer keys (a JWKS, or a single JWK)
  --aud, --nonce      the key binding expected (KB-JWT aud and nonce)
  --no-key-binding    verify a plain SD-JWT (conformance vectors)
  --any-typ           accept any JWS typ, not only dc+sd-jwt
  --now SECONDS       freeze the clock (vectors carry old iat values)
  --status-list FILE  a statuslist+jwt to check the credential's status against (repeatable)
`;

export const verifyCommand: Command = async (args, io) => {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(args);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    writeJson(io.stdout, await run(values, io));
    return 0;
  } catch (error) {
    const e = isNetidError(error) ? error : new NetidError('ERR_MALFORMED', 'input could not be read');
    io.stdout.write(`${JSON.stringify(e.toJSON())}\n`);
    return 1;
  }
};

function parse(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      jwks: { type: 'string' },
      aud: { type: 'string' },
      nonce: { type: 'string' },
      'no-key-binding': { type: 'boolean' },
      'any-typ': { type: 'boolean' },
      now: { type: 'string' },
      'status-list': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return values;
  if (!values.jwks) throw new Error('--jwks is required');
  const kb = values.aud !== undefined || values.nonce !== undefined;
  if (kb === Boolean(values['no-key-binding']))
    throw new Error('give either --aud and --nonce, or --no-key-binding');
  if (kb && (values.aud === undefined || values.nonce === undefined))
    throw new Error('--aud and --nonce go together');
  if (values.now !== undefined && !/^\d+$/.test(values.now))
    throw new Error('--now takes seconds since the epoch');
  return values;
}

async function run(values: ReturnType<typeof parse>, io: Io): Promise<Record<string, unknown>> {
  const keys = loadKeys(values.jwks!);
  const now = values.now === undefined ? undefined : Number(values.now);
  const lists = (values['status-list'] ?? []).map((file) =>
    verifyStatusListJwt(readText(file).trim(), keys, { now }),
  );
  const input = await readAll(io.stdin, DEFAULT_MAX_TOKEN_BYTES + 1024);
  if (input === undefined) fail('ERR_INPUT_TOO_LARGE', 'presentation is larger than allowed');
  const result = verifySdJwt(input.trim(), {
    keys,
    now,
    typ: values['any-typ'] ? null : undefined,
    keyBinding: values['no-key-binding'] ? false : { audience: values.aud!, nonce: values.nonce! },
  });
  checkStatus(result.claims, lists, io);
  return result.claims;
}

function checkStatus(claims: Record<string, unknown>, lists: VerifiedStatusListToken[], io: Io): void {
  const ref = parseStatusReference(claims);
  if (ref === undefined) return;
  if (lists.length === 0) {
    io.stderr.write('netid verify: status not checked (no --status-list given)\n');
    return;
  }
  const list = lists.find((l) => l.uri === ref.uri);
  if (!list) fail('ERR_STATUS_LIST_UNAVAILABLE', `no --status-list for ${ref.uri}`);
  if (ref.idx >= list.list.size) fail('ERR_STATUS_INDEX_OUT_OF_RANGE', 'status index outside the list');
  checkStatusValue(list.list.get(ref.idx));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fail('ERR_MALFORMED', `cannot read ${file}`);
  }
}

function loadKeys(file: string): KeySet {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (error) {
    if (isNetidError(error)) throw error;
    fail('ERR_JWK_INVALID', `${file} is not JSON`);
  }
  // A bare JWK is accepted too: conformance vectors publish the issuer key on its own.
  const jwks = typeof json === 'object' && json !== null && 'keys' in json ? json : { keys: [json] };
  const keys = new KeySet(jwks);
  if (keys.size === 0) fail('ERR_JWK_INVALID', `${file} holds no usable key`);
  return keys;
}
