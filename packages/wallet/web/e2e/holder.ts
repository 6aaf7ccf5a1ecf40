import { generateSigningKey, type SigningKey } from '@netid/protocol';
import { callAuthority } from '../../src/authority-client.ts';
import { allowHttpIfLoopback, redeemOffer } from '../../src/issuance.ts';
import type { Resident, Stack } from './stack.ts';

/** A holder of a network certificate, as the CLI wallet keeps it (without the wallet file). */
export interface Holder {
  resident: Resident;
  deviceKey: SigningKey;
  /** The compact SD-JWT VC. */
  credential: string;
  password: string;
}

/**
 * Enrolls a fresh resident the way the CLI wallet's `enroll --otp-from-outbox` does: document,
 * phone, the texted SMS code and a password over the enrollment API, then OpenID4VCI with a new
 * device key and the wallet code texted next. No wallet file: the tests hold the key in memory.
 */
export async function enrollHolder(stack: Stack, password = '20481357'): Promise<Holder> {
  const resident = await stack.resident();
  const post = (path: string, body?: unknown) => callAuthority(stack.authorityUrl, 'POST', path, body);
  const created = await post('/enrollment/sessions');
  const base = `/enrollment/sessions/${encodeURIComponent(String(created.session))}`;
  await post(`${base}/document`, {
    type: resident.documentType,
    number: resident.number,
    name: resident.name,
    birthdate: resident.birthdate,
  });
  await post(`${base}/phone`, { phone: resident.phone });
  const sms = await stack.smsCode(resident.phone);
  await post(`${base}/otp`, { code: sms.code });
  const issuable = await post(`${base}/password`, { password });
  const txCode = await stack.smsCode(resident.phone, sms.seen);
  allowHttpIfLoopback(stack.authorityUrl);
  const deviceKey = generateSigningKey('ES256');
  const { credential } = await redeemOffer(deviceKey, String(issuable.credentialOfferUri), txCode.code);
  return { resident, deviceKey, credential, password };
}
