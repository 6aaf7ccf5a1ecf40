import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Everything the authority reads from its environment, validated once at start. A bad value stops
 * the process with a message naming the variable — never a half-configured service.
 */
const schema = z.object({
  NETID_ENV: z.enum(['development', 'production']).default('development'),
  NETID_HOST: z.string().min(1).default('127.0.0.1'),
  NETID_PORT: z.coerce.number().int().min(0).max(65535).default(8470),
  /** The issuer identifier and base of every URL the authority publishes. */
  NETID_PUBLIC_URL: z.url().optional(),
  /**
   * The web wallet's address: the sign-in page's same-device link opens it with the request in the
   * fragment, so it is a web page (http or https) with no fragment of its own.
   */
  NETID_WALLET_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((url) => !url.includes('#'), 'must not have a fragment')
    .optional(),
  /** PostgreSQL; when absent, the embedded PGlite in NETID_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  NETID_DATA_DIR: z.string().min(1).default('.data/authority'),
  /** Key-encryption key: 32 bytes, base64url — or a file holding it. */
  NETID_KEK: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url (43 characters)')
    .optional(),
  NETID_KEK_FILE: z.string().min(1).optional(),
  NETID_SMS: z.enum(['dev', 'webhook']).default('dev'),
  NETID_SMS_WEBHOOK_URL: z.url().optional(),
  NETID_STATUS_SHARD_BITS: z.coerce.number().int().min(10).max(24).default(20),
  NETID_CERTIFICATE_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Bearer token of the operator API; in development a random one is printed at start when unset. */
  NETID_OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  env: 'development' | 'production';
  host: string;
  port: number;
  /** Without a trailing slash. */
  publicUrl: string;
  /** The web wallet's URL, as given; absent: the sign-in page links the bare openid4vp:// request. */
  walletUrl?: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  kek:
    | { source: 'env'; value: string }
    | { source: 'file'; path: string }
    | { source: 'development-default' };
  sms: { kind: 'dev' } | { kind: 'webhook'; url: string };
  statusShardSize: number;
  certificateDays: number;
  /** Absent: the operator API is closed (production) or uses a token generated at start (development). */
  operatorToken?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (e.NETID_KEK && e.NETID_KEK_FILE)
    throw new ConfigError('NETID_KEK', 'set NETID_KEK or NETID_KEK_FILE, not both');
  if (e.NETID_ENV === 'production' && !e.NETID_KEK && !e.NETID_KEK_FILE) {
    throw new ConfigError('NETID_KEK', 'production needs a key-encryption key (NETID_KEK or NETID_KEK_FILE)');
  }
  if (e.NETID_SMS === 'webhook' && !e.NETID_SMS_WEBHOOK_URL) {
    throw new ConfigError('NETID_SMS_WEBHOOK_URL', 'required when NETID_SMS=webhook');
  }
  if (e.NETID_ENV === 'production' && e.NETID_SMS === 'dev') {
    throw new ConfigError('NETID_SMS', 'the dev SMS outbox is not allowed in production');
  }
  const publicUrl = (e.NETID_PUBLIC_URL ?? `http://${e.NETID_HOST}:${e.NETID_PORT}`).replace(/\/+$/, '');
  return {
    env: e.NETID_ENV,
    host: e.NETID_HOST,
    port: e.NETID_PORT,
    publicUrl,
    ...(e.NETID_WALLET_URL ? { walletUrl: e.NETID_WALLET_URL } : {}),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: resolve(e.NETID_DATA_DIR) },
    kek: e.NETID_KEK
      ? { source: 'env', value: e.NETID_KEK }
      : e.NETID_KEK_FILE
        ? { source: 'file', path: e.NETID_KEK_FILE }
        : { source: 'development-default' },
    sms: e.NETID_SMS === 'webhook' ? { kind: 'webhook', url: e.NETID_SMS_WEBHOOK_URL! } : { kind: 'dev' },
    statusShardSize: 2 ** e.NETID_STATUS_SHARD_BITS,
    certificateDays: e.NETID_CERTIFICATE_DAYS,
    ...(e.NETID_OPERATOR_TOKEN ? { operatorToken: e.NETID_OPERATOR_TOKEN } : {}),
  };
}
