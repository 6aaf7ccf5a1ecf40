import { parseArgs } from 'node:util';
import { LOOKUP_REASONS, REVOCATION_REASONS } from '@netid/authority';
import { type Command, type Io, writeJson } from '../io.ts';
import { callOperatorApi, type OperatorRequest } from '../operator-api.ts';

const DEFAULT_AUTHORITY = 'http://127.0.0.1:8470';

const USAGE = `usage: netid operator <command> [--authority URL] [--json]

  revoke CERTIFICATE-ID --reason REASON
      revoke one certificate; REASON is one of:
        ${REVOCATION_REASONS.join(', ')}
  lookup NET-NUMBER --reason REASON [--detail TEXT]
      read a person's record; the read is logged with its reason and shown to the holder.
      REASON is one of:
        ${LOOKUP_REASONS.join(', ')}
      TEXT is a case reference (no document or phone numbers).
  rotate-keys [--overlap-days N]
      start a new issuer signing key; the old one stays published for N days (default 30)

  --authority URL   the authority (default NETID_AUTHORITY_URL or ${DEFAULT_AUTHORITY})
  --json            print the authority's answer as JSON, for scripts

  The operator token is read from NETID_OPERATOR_TOKEN, never from a flag, so it stays out of
  shell history.
`;

const SUBCOMMANDS = new Set(['revoke', 'lookup', 'rotate-keys']);

function usage(io: Io, code: number, problem?: string): number {
  if (problem) io.stderr.write(`netid operator: ${problem}\n`);
  (code === 0 ? io.stdout : io.stderr).write(USAGE);
  return code;
}

/** A problem after the arguments were understood: JSON on stderr, exit 1. */
function problem(io: Io, error: string, message: string): number {
  writeJson(io.stderr, { error, message });
  return 1;
}

type Parsed =
  | { request: OperatorRequest; json: boolean; authority: string }
  | { usage: string }
  | { help: true };

function parse(args: string[], env: NodeJS.ProcessEnv): Parsed {
  const [sub, ...rest] = args;
  if (sub === undefined) return { usage: '' };
  if (sub === '--help' || sub === '-h' || sub === 'help') return { help: true };
  if (!SUBCOMMANDS.has(sub)) return { usage: `unknown command ${sub}` };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: {
        reason: { type: 'string' },
        detail: { type: 'string' },
        'overlap-days': { type: 'string' },
        authority: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return { usage: (error as Error).message };
  }
  if (values.help) return { help: true };
  const authority = str(values.authority) ?? (env.NETID_AUTHORITY_URL || DEFAULT_AUTHORITY);
  if (!URL.canParse(authority) || !/^https?:$/.test(new URL(authority).protocol)) {
    return { usage: `--authority must be an http(s) URL` };
  }
  const base = { json: values.json === true, authority };
  const reason = str(values.reason);
  const allowedFor = (sub: string) => (sub === 'revoke' ? REVOCATION_REASONS : LOOKUP_REASONS);
  const onlyFor = (flag: string, subs: string[]) =>
    values[flag] !== undefined && !subs.includes(sub) ? `--${flag} does not apply to ${sub}` : undefined;
  const misplaced =
    onlyFor('reason', ['revoke', 'lookup']) ??
    onlyFor('detail', ['lookup']) ??
    onlyFor('overlap-days', ['rotate-keys']);
  if (misplaced) return { usage: misplaced };

  if (sub === 'rotate-keys') {
    if (positionals.length > 0) return { usage: 'rotate-keys takes no arguments' };
    const raw = str(values['overlap-days']) ?? '30';
    const overlapDays = /^\d{1,4}$/.test(raw) ? Number(raw) : 0;
    if (overlapDays < 1 || overlapDays > 3650)
      return { usage: '--overlap-days must be an integer from 1 to 3650' };
    return { ...base, request: { method: 'POST', path: '/operator/keys/rotate', body: { overlapDays } } };
  }
  if (positionals.length !== 1) {
    return { usage: `${sub} takes one ${sub === 'revoke' ? 'certificate id' : 'network number'}` };
  }
  const allowed: readonly string[] = allowedFor(sub);
  if (reason === undefined || !allowed.includes(reason)) {
    return { usage: `--reason must be one of: ${allowed.join(', ')}` };
  }
  const target = encodeURIComponent(positionals[0]!);
  if (sub === 'revoke') {
    return {
      ...base,
      request: { method: 'POST', path: `/operator/certificates/${target}/revoke`, body: { reason } },
    };
  }
  const query = new URLSearchParams({ reason });
  const detail = str(values.detail);
  if (detail !== undefined) query.set('detail', detail);
  return { ...base, request: { method: 'GET', path: `/operator/persons/${target}?${query}` } };
}

/** `netid operator …`: a thin client of the authority's operator API. */
export const operatorCommand: Command = async (args, io) => {
  const parsed = parse(args, process.env);
  if ('help' in parsed) return usage(io, 0);
  if ('usage' in parsed) return usage(io, 2, parsed.usage || undefined);
  const answer = await callOperatorApi(parsed.authority, parsed.request);
  if (!answer.ok) return problem(io, answer.code, answer.message);
  if (parsed.json) writeJson(io.stdout, answer.body);
  else io.stdout.write(describe(args[0]!, answer.body));
  return 0;
};

function describe(sub: string, body: Record<string, unknown>): string {
  if (sub === 'revoke') {
    const already = body.already_revoked === true ? ' (it was already revoked)' : '';
    return `revoked certificate ${body.id} at ${body.revoked_at}, reason ${body.revocation_reason}${already}\n`;
  }
  if (sub === 'rotate-keys') return `new issuer signing key ${body.kid} (${body.alg})\n`;
  const lines = [
    `network number  ${body.net_number}`,
    `state           ${body.state}`,
    `created         ${body.created_at}`,
  ];
  if (body.cancelled_at) lines.push(`cancelled       ${body.cancelled_at}`);
  const certificates = Array.isArray(body.certificates) ? body.certificates.filter(isObject) : [];
  lines.push(`certificates    ${certificates.length}`);
  for (const cert of certificates) {
    const revoked = cert.revoked_at ? `revoked ${cert.revoked_at} (${cert.revocation_reason})` : 'valid';
    lines.push(`  ${cert.id}  issued ${cert.issued_at}  expires ${cert.expires_at}  ${revoked}`);
  }
  lines.push('this lookup was logged and is visible to the holder');
  return `${lines.join('\n')}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
