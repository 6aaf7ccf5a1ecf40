// An independent wallet against our OpenID Provider's verifier side: @openid4vc/openid4vp resolves
// the request (fetching and verifying the signed request object) and builds and submits the
// direct_post response; @sd-jwt/sd-jwt-vc makes the presentation. Then openid-client finishes.
import { createHash } from 'node:crypto';
import { KeySet, parseJws, verifySignature } from '@netid/protocol';
import { HashAlgorithm } from '@openid4vc/oauth2';
import {
  createOpenid4vpAuthorizationResponse,
  parseOpenid4vpAuthorizationRequest,
  resolveOpenid4vpAuthorizationRequest,
  submitOpenid4vpAuthorizationResponse,
} from '@openid4vc/openid4vp';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { applicationIdentifier } from '../platforms/app-id.ts';
import { enrollDevice } from '../selfservice/test-support.ts';
import { addPlatform, finishSignIn, redeem, startSignIn } from './test-support.ts';

describeServed('OpenID4VP interop (@openid4vc/openid4vp + @sd-jwt/sd-jwt-vc as the wallet)', (served) => {
  it('resolves our signed request, answers with DCQL over direct_post, and the platform gets its sub', async () => {
    const platform = await addPlatform(served, { claims: ['age_over_18'] });
    const device = await enrollDevice(served, 'P-INTEROP-1');
    const started = await startSignIn(served, platform, { acr_values: 'cert' });

    const published = served.ctx.issuerKeys.jwks();
    const jwks = new KeySet(published);
    const callbacks = {
      fetch,
      hash: (data: Uint8Array, alg: HashAlgorithm) =>
        createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : 'sha512')
          .update(data)
          .digest(),
      // The wallet trusts its authority's published keys for requests whose client_id is the authority.
      verifyJwt: async (_signer: unknown, jwt: { compact: string }) => {
        const jws = parseJws(jwt.compact, 'request object');
        const key = jwks.select(jws.header.kid, jws.header.alg);
        return verifySignature(jws.header.alg, jws.signingInput, jws.signature, key)
          ? {
              verified: true as const,
              signerJwk: published.keys.find((k) => k.kid === jws.header.kid) as never,
            }
          : { verified: false as const };
      },
      decryptJwe: async () => ({ decrypted: false as const }),
      getX509CertificateMetadata: () => {
        throw new Error('no x509 here');
      },
    };
    const parsed = parseOpenid4vpAuthorizationRequest({ authorizationRequest: started.requestUri });
    const resolved = await resolveOpenid4vpAuthorizationRequest({
      authorizationRequestPayload: parsed.params as never,
      callbacks: callbacks as never,
    });
    const request = resolved.authorizationRequestPayload as Record<string, unknown>;
    expect(request.response_mode).toBe('direct_post');
    expect(resolved.dcql?.query).toMatchObject({ credentials: [{ id: 'certificate', format: 'dc+sd-jwt' }] });

    const sdjwt = new SDJwtVcInstance({
      hasher: digest,
      hashAlg: 'sha-256',
      saltGenerator: generateSalt,
      kbSignAlg: 'ES256',
      kbSigner: await ES256.getSigner(device.key.privateKey.export({ format: 'jwk' })),
    });
    const presentation = await sdjwt.present(
      device.credential,
      { age_over_18: true },
      {
        kb: {
          payload: { iat: Math.floor(Date.now() / 1000), aud: served.url, nonce: request.nonce as string },
        },
      },
    );
    const response = await createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request as never,
      authorizationResponsePayload: { vp_token: { certificate: [presentation] } } as never,
      callbacks: callbacks as never,
    });
    const submitted = await submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: request as never,
      authorizationResponsePayload: response.authorizationResponsePayload,
      callbacks: { fetch },
    });
    expect(submitted.response.status).toBe(200);

    const claims = (await redeem(platform, await finishSignIn(served, platform, started), started)).claims()!;
    expect(claims.sub).toBe(
      applicationIdentifier(served.ctx.secrets.appId, platform.clientId, device.netNumber),
    );
    expect(claims.age_over_18).toBe(true);
  });
});
