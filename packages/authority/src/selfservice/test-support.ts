import { generateSigningKey, jwkThumbprint, presentSdJwt, type SigningKey } from '@netid/protocol';
import {
  insertIssuableSession,
  type ServedAuthority,
  walletObtainsCertificate,
} from '../issuance/test-support.ts';

/** The password `insertIssuableSession` hashes by default. */
export const TEST_PASSWORD = '20240607';

export interface Device {
  key: SigningKey;
  credential: string;
  netNumber: string;
  certificateId: string;
}

/** A real certificate for a new device of registry person `personId`, obtained through issuance. */
export async function enrollDevice(served: ServedAuthority, personId: string): Promise<Device> {
  const key = generateSigningKey('ES256');
  const session = await insertIssuableSession(served.ctx, { personId });
  const credential = await walletObtainsCertificate(served.ctx, key, session);
  const row = await served.ctx.db
    .selectFrom('certificates')
    .select(['certificate_id', 'net_number'])
    .where('device_thumbprint', '=', jwkThumbprint(key.publicJwk))
    .executeTakeFirstOrThrow();
  return { key, credential, netNumber: row.net_number, certificateId: row.certificate_id };
}

export interface PresentOptions {
  audience?: string;
  nonce?: string;
  keyBinding?: boolean;
  disclose?: Record<string, boolean>;
}

export async function challenge(served: ServedAuthority): Promise<string> {
  const res = await served.authority.app.request('/selfservice/challenge', { method: 'POST' });
  if (res.status !== 200) throw new Error(`challenge: ${res.status}`);
  return ((await res.json()) as { nonce: string }).nonce;
}

/** `Authorization` for one self-service request: a fresh challenge, presented as a wallet would. */
export async function holderAuth(served: ServedAuthority, device: Device, options: PresentOptions = {}) {
  const nonce = options.nonce ?? (await challenge(served));
  const presentation = presentSdJwt(device.credential, {
    disclose: options.disclose ?? { net_number: true },
    ...(options.keyBinding === false
      ? {}
      : {
          keyBinding: {
            key: device.key,
            audience: options.audience ?? served.url,
            nonce,
            iat: Math.floor(served.clock.now / 1000),
          },
        }),
  });
  return `NetID ${presentation}`;
}

export interface Answer {
  status: number;
  type: string | null;
  body: Record<string, unknown> & { code?: string };
}

export async function call(
  served: ServedAuthority,
  method: string,
  path: string,
  options: { authorization?: string; body?: unknown; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  let body: string | undefined;
  if (options.body !== undefined || options.rawBody !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const res = await served.authority.app.request(path, { method, headers, ...(body ? { body } : {}) });
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, type: res.headers.get('content-type'), body: parsed };
}
