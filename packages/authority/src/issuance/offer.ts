import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import type { Config } from '../config.ts';
import {
  APPLICATION_CONFIGURATION_ID,
  CERTIFICATE_CONFIGURATION_ID,
  createOid4vc,
  type Oid4vc,
} from './metadata.ts';

export interface CertificateOfferInput {
  /** The code enrollment generated (it stores only its hash: see `preAuthorizedCodeHash`). */
  preAuthorizedCode: string;
  /** Describes the tx_code the wallet must ask its user for (OID4VCI 1.0 §4.1.1); omit for none. */
  txCode?: { length: number; inputMode?: 'numeric' | 'text'; description?: string };
}

/**
 * The credential offer a wallet scans or opens at the end of enrollment (OID4VCI 1.0 §4.1), built
 * and validated by the library: `openid-credential-offer://?credential_offer=…` and the object.
 */
export async function createCertificateOffer(
  config: Pick<Config, 'publicUrl'>,
  input: CertificateOfferInput,
): Promise<{ credentialOffer: string; credentialOfferObject: Record<string, unknown> }> {
  const oid4vc = createOid4vc(config);
  const tx = input.txCode;
  return oid4vc.issuer.createCredentialOffer({
    issuerMetadata: oid4vc.issuerMetadata,
    credentialConfigurationIds: [CERTIFICATE_CONFIGURATION_ID],
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        'pre-authorized_code': input.preAuthorizedCode,
        ...(tx
          ? {
              tx_code: {
                length: tx.length,
                input_mode: tx.inputMode ?? 'numeric',
                ...(tx.description ? { description: tx.description } : {}),
              },
            }
          : {}),
      },
    },
  });
}

/**
 * The offer of an application credential (OID4VCI 1.0 §4.1): a pre-authorized code and no tx_code,
 * since the holder has just proven possession of the device key the credential will be bound to.
 * Returns the object and `openid-credential-offer://?credential_offer=…`, spelled as enrollment does.
 */
export async function createApplicationOffer(
  oid4vc: Oid4vc,
  preAuthorizedCode: string,
): Promise<{ credentialOffer: Record<string, unknown>; credentialOfferUri: string }> {
  const { credentialOfferObject } = await oid4vc.issuer.createCredentialOffer({
    issuerMetadata: oid4vc.issuerMetadata,
    credentialConfigurationIds: [APPLICATION_CONFIGURATION_ID],
    grants: { [preAuthorizedCodeGrantIdentifier]: { 'pre-authorized_code': preAuthorizedCode } },
  });
  return {
    credentialOffer: credentialOfferObject,
    credentialOfferUri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(credentialOfferObject))}`,
  };
}
