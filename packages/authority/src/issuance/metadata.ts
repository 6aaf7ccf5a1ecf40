import {
  type AuthorizationServerMetadata,
  Oauth2AuthorizationServer,
  preAuthorizedCodeGrantIdentifier,
  setGlobalConfig,
} from '@openid4vc/oauth2';
import {
  type CredentialIssuerMetadata,
  type IssuerMetadataResult,
  Openid4vciIssuer,
  Openid4vciVersion,
} from '@openid4vc/openid4vci';
import type { Config } from '../config.ts';
import { serverCallbacks } from './callbacks.ts';

/** The credentials the authority issues by OID4VCI: the network certificate … */
export const CERTIFICATE_CONFIGURATION_ID = 'netid_certificate';
/** … and, for one platform at a time, application credentials (DESIGN.md flow 3). */
export { APPLICATION_CONFIGURATION_ID, APPLICATION_VCT, CERTIFICATE_VCT } from '@netid/protocol';

import { APPLICATION_CONFIGURATION_ID, APPLICATION_VCT, CERTIFICATE_VCT } from '@netid/protocol';

/** Claims of the network certificate, in the order wallets should show them (OID4VCI 1.0 Appendix B.2). */
const CLAIMS: ReadonlyArray<readonly [path: string, zh: string, en: string]> = [
  ['net_number', '网号', 'Network number'],
  ['name', '姓名', 'Name'],
  ['birthdate', '出生日期', 'Date of birth'],
  ['age_over_14', '已满14周岁', 'Aged 14 or over'],
  ['age_over_16', '已满16周岁', 'Aged 16 or over'],
  ['age_over_18', '已满18周岁', 'Aged 18 or over'],
  ['document_type', '证件类型', 'Document type'],
  ['enrollment_level', '注册核验方式', 'Checks done at enrollment'],
  ['face_match', '人脸比对', 'Face matched at enrollment'],
];

/** The application credential's disclosable claims: the certificate's, less the face-match flag. */
const APPLICATION_CLAIM_DISPLAY = CLAIMS.filter(([path]) => path !== 'face_match');

const claimDisplay = (claims: typeof CLAIMS) =>
  claims.map(([path, zh, en]) => ({
    path: [path],
    display: [
      { name: zh, locale: 'zh-CN' },
      { name: en, locale: 'en' },
    ],
  }));

/** Both configurations: SD-JWT VC, bound to the device key by a JWT proof. */
const boundSdJwtVc = () => ({
  format: 'dc+sd-jwt',
  cryptographic_binding_methods_supported: ['jwk'],
  credential_signing_alg_values_supported: ['ES256'],
  proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
});

/** The library objects the routes use, built once per authority. */
export interface Oid4vc {
  issuer: Openid4vciIssuer;
  authorizationServer: Oauth2AuthorizationServer;
  /** Our own metadata in the shape the library's parsing and verification functions expect. */
  issuerMetadata: IssuerMetadataResult;
  credentialIssuerMetadata: CredentialIssuerMetadata;
  authorizationServerMetadata: AuthorizationServerMetadata;
}

export function createOid4vc(config: Pick<Config, 'publicUrl'>): Oid4vc {
  // The library's schemas accept only https URLs unless this process-wide switch is on. An authority
  // served on plain http (development, on loopback) must validate its own metadata; nothing is
  // weakened, since every URL the server side checks (a proof's `aud`) must equal our own identifier.
  if (new URL(config.publicUrl).protocol === 'http:') setGlobalConfig({ allowInsecureUrls: true });
  const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks: serverCallbacks });
  // Both create* calls validate against the library's schemas and throw on a mistake here.
  const credentialIssuerMetadata = issuer.createCredentialIssuerMetadata(
    credentialIssuerMetadataFor(config.publicUrl),
  );
  const authorizationServerMetadata = authorizationServer.createAuthorizationServerMetadata(
    authorizationServerMetadataFor(config.publicUrl),
  );
  return {
    issuer,
    authorizationServer,
    credentialIssuerMetadata,
    authorizationServerMetadata,
    issuerMetadata: {
      originalDraftVersion: Openid4vciVersion.V1,
      credentialIssuer: credentialIssuerMetadata,
      authorizationServers: [authorizationServerMetadata],
      knownCredentialConfigurations:
        issuer.getKnownCredentialConfigurationsSupported(credentialIssuerMetadata),
    },
  };
}

/** OID4VCI 1.0 §12.2.4. The authority is its own authorization server, so `authorization_servers` is absent. */
export function credentialIssuerMetadataFor(publicUrl: string): CredentialIssuerMetadata {
  return {
    credential_issuer: publicUrl,
    credential_endpoint: `${publicUrl}/credential`,
    nonce_endpoint: `${publicUrl}/nonce`,
    display: [
      { name: 'netid 网络身份认证', locale: 'zh-CN' },
      { name: 'netid network identity authority', locale: 'en' },
    ],
    credential_configurations_supported: {
      [CERTIFICATE_CONFIGURATION_ID]: {
        ...boundSdJwtVc(),
        vct: CERTIFICATE_VCT,
        credential_metadata: {
          display: [
            {
              name: '网络身份认证凭证（网证）',
              locale: 'zh-CN',
              description: '证明您是经过核验的真实、唯一的人，绑定于本设备',
              background_color: '#1F3A5F',
              text_color: '#FFFFFF',
            },
            {
              name: 'Network certificate',
              locale: 'en',
              description: 'Shows you are a verified, unique person; bound to this device',
              background_color: '#1F3A5F',
              text_color: '#FFFFFF',
            },
          ],
          claims: claimDisplay(CLAIMS),
        },
      },
      // Offered only to a holder who authenticated for one platform (POST /application-credentials/offer).
      [APPLICATION_CONFIGURATION_ID]: {
        ...boundSdJwtVc(),
        vct: APPLICATION_VCT,
        credential_metadata: {
          display: [
            {
              name: '网络身份应用凭证',
              locale: 'zh-CN',
              description: '供一个平台离线核验，24小时内有效，绑定于本设备',
              background_color: '#2E5E4E',
              text_color: '#FFFFFF',
            },
            {
              name: 'Application credential',
              locale: 'en',
              description: 'For one platform to verify offline; valid up to 24 hours; bound to this device',
              background_color: '#2E5E4E',
              text_color: '#FFFFFF',
            },
          ],
          claims: claimDisplay(APPLICATION_CLAIM_DISPLAY),
        },
      },
    },
  };
}

/**
 * RFC 8414 with the OID4VCI 1.0 §12.3 parameter: the pre-authorized code is redeemed without client
 * authentication (wallets are not registered clients), so `response_types_supported` is omitted too.
 */
export function authorizationServerMetadataFor(publicUrl: string): AuthorizationServerMetadata {
  return {
    issuer: publicUrl,
    token_endpoint: `${publicUrl}/token`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
