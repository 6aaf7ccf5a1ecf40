import { fail } from '@netid/protocol/errors';
import { callAuthority } from '../../../src/authority-client.ts';
import { createDeviceKey, type DeviceKey } from '../device/device-key.ts';
import { redeemOffer } from '../holder/issuance.ts';

export const CERTIFICATE_CONFIGURATION_ID = 'netid_certificate';

export interface DocumentAnswer {
  type: string;
  number: string;
  name: string;
  birthdate: string;
}

/**
 * One enrollment at the authority (DESIGN.md flow 1), step by step as the screens ask: each call is
 * one step, and a refusal leaves the session at that step so the person can correct and resend.
 */
export class Enrollment {
  private constructor(
    readonly authority: string,
    private readonly base: string,
  ) {}

  static async start(authority: string): Promise<Enrollment> {
    const { session } = await callAuthority(authority, 'POST', '/enrollment/sessions');
    if (typeof session !== 'string') fail('ERR_MALFORMED', 'the authority gave no session');
    return new Enrollment(authority, `/enrollment/sessions/${encodeURIComponent(session as string)}`);
  }

  private post(step: string, body: unknown) {
    return callAuthority(this.authority, 'POST', `${this.base}/${step}`, body);
  }

  document(answer: DocumentAnswer) {
    return this.post('document', answer);
  }

  /** Sends (or, again, resends) the SMS code. */
  phone(phone: string) {
    return this.post('phone', { phone });
  }

  otp(code: string) {
    return this.post('otp', { code });
  }

  /** Sets the netid password; the authority answers with the certificate's OID4VCI offer. */
  async password(password: string): Promise<string> {
    const { credentialOfferUri } = await this.post('password', { password });
    if (typeof credentialOfferUri !== 'string') fail('ERR_MALFORMED', 'the authority gave no offer');
    return credentialOfferUri as string;
  }

  /** A new device key, then the certificate bound to it, redeemed with the texted wallet code. */
  async redeem(offerUri: string, txCode: string, key?: DeviceKey) {
    const deviceKey = key ?? (await createDeviceKey());
    const redeemed = await redeemOffer(
      deviceKey,
      this.authority,
      offerUri,
      CERTIFICATE_CONFIGURATION_ID,
      txCode,
    );
    return { ...redeemed, key: deviceKey };
  }
}
