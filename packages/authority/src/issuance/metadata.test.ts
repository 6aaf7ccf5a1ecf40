import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataFor,
  CERTIFICATE_VCT,
  createOid4vc,
  credentialIssuerMetadataFor,
} from './metadata.ts';
import { oid4vciMetadataRoutes } from './metadata-routes.ts';
import { createCertificateOffer } from './offer.ts';

// The OpenID Foundation conformance suite's schemas and its own pass/fail cases (vectors README).
const VECTORS = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/vectors/oidf-conformance',
);
const read = (path: string) => JSON.parse(readFileSync(join(VECTORS, path), 'utf8'));
const manifest = read('manifest.json') as {
  schemas: Record<string, string>;
  cases: Array<{
    file?: string;
    inline?: unknown;
    schema: string;
    valid: boolean;
    error_path?: string | string[];
  }>;
};

// Both schemas declare draft 2020-12 ($schema), hence Ajv2020; `format: uri` needs ajv-formats.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validators = new Map<string, ValidateFunction>();
function validator(schema: string): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(read(manifest.schemas[schema]!));
    validators.set(schema, v);
  }
  return v;
}

/** The suite reports unknown properties as warnings only (manifest `validator_note`). */
const UNKNOWN = new Set(['additionalProperties', 'unevaluatedProperties']);
const structuralErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).filter((e) => !UNKNOWN.has(e.keyword));

const publicUrl = 'https://netid.example.cn';

describe('OID4VCI metadata against the OIDF conformance schemas', () => {
  it('the validator agrees with every conformance-suite case (so a pass below means something)', () => {
    expect(manifest.cases.length).toBeGreaterThanOrEqual(19);
    for (const c of manifest.cases) {
      const document = c.inline ?? read(c.file!);
      const validate = validator(c.schema);
      validate(document);
      const errors = structuralErrors(validate.errors);
      expect({ case: c.file ?? c.error_path, valid: errors.length === 0 }).toEqual({
        case: c.file ?? c.error_path,
        valid: c.valid,
      });
    }
  });

  it('credential issuer metadata (OID4VCI 1.0 §12.2.4) has no error and not even an unknown property', () => {
    const validate = validator('credential_issuer_metadata');
    const metadata = credentialIssuerMetadataFor(publicUrl);
    expect(validate(metadata), JSON.stringify(validate.errors)).toBe(true);
    // §12.2.4: the certificate configuration as the issue requires it.
    const cert = metadata.credential_configurations_supported.netid_certificate as Record<string, unknown>;
    expect(cert).toMatchObject({
      format: 'dc+sd-jwt',
      vct: CERTIFICATE_VCT,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['ES256'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
    });
    expect(metadata.nonce_endpoint).toBe(`${publicUrl}/nonce`);
    const display = (cert.credential_metadata as { display: Array<{ locale: string }> }).display;
    expect(display.map((d) => d.locale)).toEqual(['zh-CN', 'en']);
  });

  it('authorization server metadata (RFC 8414 §2, OID4VCI 1.0 §12.3) validates', () => {
    const validate = validator('oauth_authorization_server_metadata');
    const metadata = authorizationServerMetadataFor(publicUrl);
    expect(validate(metadata), JSON.stringify(validate.errors)).toBe(true);
    expect(metadata['pre-authorized_grant_anonymous_access_supported']).toBe(true);
  });

  it('the same validator rejects our metadata once broken as the suite would', () => {
    const validate = validator('credential_issuer_metadata');
    const { credential_endpoint: _, ...noEndpoint } = credentialIssuerMetadataFor(publicUrl);
    expect(validate(noEndpoint)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'required',
      params: { missingProperty: 'credential_endpoint' },
    });
  });

  it('the credential offer (OID4VCI 1.0 §4.1.1) validates, with its tx_code description', async () => {
    const { credentialOffer, credentialOfferObject } = await createCertificateOffer(
      { publicUrl },
      { preAuthorizedCode: 'code-123', txCode: { length: 6, description: '短信中的 6 位数字' } },
    );
    const validate = validator('credential_offer');
    expect(validate(credentialOfferObject), JSON.stringify(validate.errors)).toBe(true);
    expect(credentialOfferObject).toEqual({
      credential_issuer: publicUrl,
      credential_configuration_ids: ['netid_certificate'],
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': 'code-123',
          tx_code: { length: 6, input_mode: 'numeric', description: '短信中的 6 位数字' },
        },
      },
    });
    // §4.1.3: passed by value in the credential_offer parameter.
    const offered = new URL(credentialOffer).searchParams.get('credential_offer');
    expect(JSON.parse(offered!)).toEqual(credentialOfferObject);
  });

  it('is served at the well-known locations', async () => {
    const app = oid4vciMetadataRoutes(createOid4vc({ publicUrl }));
    const issuer = await app.request('/.well-known/openid-credential-issuer');
    expect(issuer.status).toBe(200);
    expect(await issuer.json()).toEqual(credentialIssuerMetadataFor(publicUrl));
    const as = await app.request('/.well-known/oauth-authorization-server');
    expect(as.status).toBe(200);
    expect(validator('oauth_authorization_server_metadata')(await as.json())).toBe(true);
  });
});
