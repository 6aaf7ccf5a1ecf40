import { randomBytes, randomInt } from 'node:crypto';
import { CERTIFICATE_VCT, signJws } from '@netid/protocol';
import { createOpenid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import type { AuthorityContext } from '../context.ts';
import type { Mode, Platform, PlatformClaim } from '../platforms/platform.ts';
import type { TransientStore } from '../transient/store.ts';
import { OIDC_PATH } from './provider.ts';

/** How long the QR code and the request behind it live. */
export const WALLET_REQUEST_SECONDS = 300;
const KIND = 'vp-request';

/** One OID4VP request to the wallet, for one interaction of the OpenID Provider. */
export interface WalletRequest {
  id: string;
  uid: string;
  clientId: string;
  claims: PlatformClaim[];
  mode: Mode;
  nonce: string;
  state: string;
  /** Shown on the page and in the wallet: the person checks they match. */
  verificationCode: string;
  /** The signed request object (JAR) the wallet fetches. */
  requestObject: string;
  /** `openid4vp://?client_id=…&request_uri=…`: the QR code and the "open wallet" link. */
  uri: string;
  authorizationRequest: Record<string, unknown>;
  expiresAt: number;
}

export const responseUri = (ctx: AuthorityContext, id: string) =>
  `${ctx.config.publicUrl}${OIDC_PATH}/vp/response/${id}`;
export const requestUri = (ctx: AuthorityContext, id: string) =>
  `${ctx.config.publicUrl}${OIDC_PATH}/vp/request/${id}`;

/**
 * The interaction's live wallet request, or a new one. A reload of the page shows the same code
 * until it expires; after that, a fresh one.
 */
export async function walletRequestFor(
  ctx: AuthorityContext,
  transient: TransientStore,
  uid: string,
  platform: Platform,
  claims: PlatformClaim[],
  mode: Mode,
): Promise<WalletRequest> {
  const existing = await transient.findByUid(KIND, uid, new Date(ctx.now()));
  if (existing) return existing.payload as unknown as WalletRequest;
  const id = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const verificationCode = String(randomInt(0, 10_000)).padStart(4, '0');
  const signing = ctx.issuerKeys.signing();
  const now = ctx.now();
  const created = await createOpenid4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token',
      // The wallet knows its authority: a pre-registered client, whose keys it already trusts.
      client_id: ctx.config.publicUrl,
      response_mode: 'direct_post',
      response_uri: responseUri(ctx, id),
      nonce,
      state,
      dcql_query: {
        credentials: [
          {
            id: 'certificate',
            format: 'dc+sd-jwt',
            meta: { vct_values: [CERTIFICATE_VCT] },
            ...(claims.length ? { claims: claims.map((c) => ({ path: [c] })) } : {}),
          },
        ],
      },
      client_metadata: {
        client_name: ctx.config.publicUrl,
        vp_formats_supported: {
          'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] },
        },
      },
    },
    jar: {
      requestUri: requestUri(ctx, id),
      jwtSigner: { method: 'custom', alg: signing.alg },
      expiresInSeconds: WALLET_REQUEST_SECONDS,
      // Who asks, for what and why, signed by the authority: the wallet shows these to the person.
      additionalJwtPayload: {
        netid_verification_code: verificationCode,
        netid_mode: mode,
        netid_platform: {
          client_id: platform.clientId,
          kind: platform.kind,
          name: platform.name,
          purpose: platform.purpose,
        },
      },
    },
    callbacks: {
      signJwt: async (_signer, { header, payload }) => {
        const { alg: _alg, ...rest } = header;
        const jwt = signJws({ ...rest, kid: signing.kid }, payload, signing);
        return { jwt, signerJwk: signing.publicJwk as never };
      },
      encryptJwe: () => {
        throw new Error('request objects are signed, not encrypted');
      },
    },
    now: new Date(now),
  });
  const request: WalletRequest = {
    id,
    uid,
    clientId: platform.clientId,
    claims,
    mode,
    nonce,
    state,
    verificationCode,
    requestObject: created.jar!.authorizationRequestJwt,
    uri: created.authorizationRequest,
    authorizationRequest: created.authorizationRequestPayload as Record<string, unknown>,
    expiresAt: now + WALLET_REQUEST_SECONDS * 1000,
  };
  await transient.upsert(
    KIND,
    id,
    request as unknown as Record<string, unknown>,
    new Date(request.expiresAt),
    { uid },
  );
  return request;
}

export async function findWalletRequest(ctx: AuthorityContext, transient: TransientStore, id: string) {
  const record = await transient.find(KIND, id, new Date(ctx.now()));
  return record && !record.consumedAt ? (record.payload as unknown as WalletRequest) : undefined;
}

/** The single use: whoever takes it first answers; a replay finds nothing. */
export async function takeWalletRequest(ctx: AuthorityContext, transient: TransientStore, id: string) {
  return (await transient.take(KIND, id, new Date(ctx.now()))) as WalletRequest | undefined;
}
