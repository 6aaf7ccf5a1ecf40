import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Command, type Io, writeJson } from '../io.ts';
import { callOperatorApi } from '../operator-api.ts';

const DEFAULT_AUTHORITY = 'http://127.0.0.1:8470';

const USAGE = `usage: netid platform <command> [--authority URL] [--json]

  add --kind government|internet --name-zh T --name-en T --purpose-zh T --purpose-en T
      --redirect-uri URI [--redirect-uri URI …] --modes M[,M…]
      [--post-logout-redirect-uri URI …] [--jwks FILE] [--client-secret] [--claims C[,C…]]
      [--net-number] [--sector S] [--client-id ID] [--approve]
      register a platform; it stays pending until approved (or --approve).
        --jwks FILE        its public keys (a JWKS, or one JWK); private keys are refused
        --client-secret    development only: the authority makes a secret and prints it once
        --claims           e.g. name,age_over_18 (net_number only for government platforms)
        --modes            assurance modes, e.g. cert,cert+password
        --net-number       government only: may ask for the network number (adds the claim)
        --sector           the application-identifier sector (default: the client id)
  list                    every registered platform
  show CLIENT-ID          one platform
  approve CLIENT-ID       approve a pending platform, or resume a suspended one
  suspend CLIENT-ID       suspend an approved platform; wallets then refuse it

  --authority URL   the authority (default NETID_AUTHORITY_URL or ${DEFAULT_AUTHORITY})
  --json            print the authority's answer as JSON, for scripts

  The operator token is read from NETID_OPERATOR_TOKEN, never from a flag, so it stays out of
  shell history.
`;

const OPTIONS = {
  kind: { type: 'string' },
  'name-zh': { type: 'string' },
  'name-en': { type: 'string' },
  'purpose-zh': { type: 'string' },
  'purpose-en': { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  jwks: { type: 'string' },
  'client-secret': { type: 'boolean' },
  claims: { type: 'string' },
  modes: { type: 'string' },
  'net-number': { type: 'boolean' },
  sector: { type: 'string' },
  'client-id': { type: 'string' },
  approve: { type: 'boolean' },
  authority: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options every subcommand takes; the rest belong to `add`. */
const COMMON = new Set(['authority', 'json', 'help']);
const REQUIRED_FOR_ADD = ['kind', 'name-zh', 'name-en', 'purpose-zh', 'purpose-en', 'redirect-uri', 'modes'];
/** The authority's client id rule. */
const CLIENT_ID = /^[a-z0-9_-]{3,64}$/;
const SUBCOMMANDS = new Set(['add', 'list', 'show', 'approve', 'suspend']);

type Values = Record<string, string | boolean | string[] | undefined>;
type Parsed =
  | { sub: string; values: Values; target?: string; authority: string; json: boolean }
  | { usage: string }
  | { help: true };

function usage(io: Io, code: number, problem?: string): number {
  if (problem) io.stderr.write(`netid platform: ${problem}\n`);
  (code === 0 ? io.stdout : io.stderr).write(USAGE);
  return code;
}

/** A problem after the arguments were understood: JSON on stderr, exit 1. */
function problem(io: Io, error: string, message: string): number {
  writeJson(io.stderr, { error, message });
  return 1;
}

function parse(args: string[], env: NodeJS.ProcessEnv): Parsed {
  const [sub, ...rest] = args;
  if (sub === undefined) return { usage: '' };
  if (sub === '--help' || sub === '-h' || sub === 'help') return { help: true };
  if (!SUBCOMMANDS.has(sub)) return { usage: `unknown command ${sub}` };
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return { usage: (error as Error).message };
  }
  if (values.help) return { help: true };
  const authority = str(values.authority) ?? (env.NETID_AUTHORITY_URL || DEFAULT_AUTHORITY);
  if (!URL.canParse(authority) || !/^https?:$/.test(new URL(authority).protocol)) {
    return { usage: '--authority must be an http(s) URL' };
  }
  const base = { sub, values, authority, json: values.json === true };
  if (sub !== 'add') {
    const misplaced = Object.keys(values).find((k) => !COMMON.has(k));
    if (misplaced) return { usage: `--${misplaced} applies to add only` };
  }
  if (sub === 'add' || sub === 'list') {
    return positionals.length > 0 ? { usage: `${sub} takes no arguments` } : base;
  }
  const [target] = positionals;
  // Checked here too, so the id is safe to put in a URL path as it is.
  if (positionals.length !== 1 || !CLIENT_ID.test(target!)) return { usage: `${sub} takes one client id` };
  return { ...base, target };
}

const list = (value: string | boolean | string[] | undefined) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** The registration body from the flags; a missing flag is a usage error, a bad file a problem. */
async function registration(
  values: Values,
): Promise<{ body: Record<string, unknown> } | { usage: string } | { error: string; message: string }> {
  const missing = REQUIRED_FOR_ADD.filter((k) => values[k] === undefined);
  if (missing.length > 0) return { usage: `add needs ${missing.map((k) => `--${k}`).join(', ')}` };
  const kind = str(values.kind);
  if (kind !== 'government' && kind !== 'internet') return { usage: '--kind must be government or internet' };
  const claims = list(values.claims);
  const netNumber = values['net-number'] === true;
  if (netNumber && !claims.includes('net_number')) claims.push('net_number');
  const body: Record<string, unknown> = {
    kind,
    name: { zh: values['name-zh'], en: values['name-en'] },
    purpose: { zh: values['purpose-zh'], en: values['purpose-en'] },
    redirect_uris: values['redirect-uri'],
    allowed_claims: claims,
    allowed_modes: list(values.modes),
    may_request_net_number: netNumber,
  };
  if (values['post-logout-redirect-uri']) body.post_logout_redirect_uris = values['post-logout-redirect-uri'];
  if (values['client-secret']) body.client_secret = true;
  if (values.sector !== undefined) body.sector = values.sector;
  if (values['client-id'] !== undefined) body.client_id = values['client-id'];
  if (values.approve) body.approve = true;
  const jwksFile = str(values.jwks);
  if (jwksFile !== undefined) {
    let text: string;
    try {
      text = await readFile(jwksFile, 'utf8');
    } catch (error) {
      return {
        error: 'jwks_unreadable',
        message: `cannot read ${jwksFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      };
    }
    let jwks: unknown;
    try {
      jwks = JSON.parse(text);
    } catch {
      return { error: 'invalid_jwks', message: `${jwksFile} is not JSON` };
    }
    // One bare JWK is accepted as a set of one: that is what most key tools write.
    body.jwks = isObject(jwks) && !('keys' in jwks) && 'kty' in jwks ? { keys: [jwks] } : jwks;
  }
  return { body };
}

/** `netid platform …`: the platform register (DESIGN.md flow 5) over the operator API. */
export const platformCommand: Command = async (args, io) => {
  const parsed = parse(args, process.env);
  if ('help' in parsed) return usage(io, 0);
  if ('usage' in parsed) return usage(io, 2, parsed.usage || undefined);
  const { sub, target } = parsed;

  let body: Record<string, unknown> | undefined;
  if (sub === 'add') {
    const made = await registration(parsed.values);
    if ('usage' in made) return usage(io, 2, made.usage);
    if ('error' in made) return problem(io, made.error, made.message);
    body = made.body;
  }
  const path = [
    'operator/platforms',
    ...(target === undefined ? [] : [target]),
    ...(sub === 'approve' || sub === 'suspend' ? [sub] : []),
  ].join('/');
  const method = sub === 'list' || sub === 'show' ? 'GET' : 'POST';
  const answer = await callOperatorApi(parsed.authority, { method, path, body });
  if (!answer.ok) return problem(io, answer.code, answer.message);
  if (parsed.json) writeJson(io.stdout, answer.body);
  else io.stdout.write(describe(sub, answer.body));
  return 0;
};

function describe(sub: string, body: Record<string, unknown>): string {
  if (sub === 'list') {
    const platforms = Array.isArray(body.platforms) ? body.platforms.filter(isObject) : [];
    if (platforms.length === 0) return 'no platforms registered\n';
    return `${platforms.map((p) => `${p.client_id}  ${p.state}  ${p.kind}  ${text(p.name)}`).join('\n')}\n`;
  }
  if (sub === 'approve' || sub === 'suspend') return `platform ${body.client_id} is now ${body.state}\n`;
  const lines = [
    `client id       ${body.client_id}`,
    `state           ${body.state}`,
    `kind            ${body.kind}`,
    `sector          ${body.sector}`,
    `name            ${text(body.name)}`,
    `purpose         ${text(body.purpose)}`,
    `redirect URIs   ${strings(body.redirect_uris)}`,
    `logout URIs     ${strings(body.post_logout_redirect_uris) || '-'}`,
    `claims          ${strings(body.allowed_claims) || '-'}`,
    `modes           ${strings(body.allowed_modes)}`,
    `network number  ${body.may_request_net_number === true ? 'may request' : 'no'}`,
    `keys            ${keyIds(body.jwks) || '-'}`,
    `client secret   ${body.has_client_secret === true ? 'yes (development)' : 'no'}`,
    `created         ${body.created_at}`,
  ];
  if (sub === 'add') {
    if (typeof body.client_secret === 'string') {
      lines.push(
        '',
        `client secret: ${body.client_secret}`,
        'it is shown this once and cannot be read back: store it now',
      );
    }
    if (body.state === 'pending') lines.push('', `approve it with: netid platform approve ${body.client_id}`);
  }
  return `${lines.join('\n')}\n`;
}

const text = (value: unknown) => (isObject(value) ? `${value.en} / ${value.zh}` : '');
const strings = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
const keyIds = (jwks: unknown) =>
  isObject(jwks) && Array.isArray(jwks.keys)
    ? strings(jwks.keys.filter(isObject).map((k) => `${k.kid} (${k.alg})`))
    : '';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
