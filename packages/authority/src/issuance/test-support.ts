import { createHash, sign as cryptoSign, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { SigningKey } from '@netid/protocol';
import { hashSync } from '@node-rs/argon2';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  HashAlgorithm,
  type SignJwtCallback,
} from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { afterAll, beforeAll, describe } from 'vitest';
import { redeemResolvedOffer } from '../../../wallet/src/issuance.ts';
import { type Authority, createAuthority } from '../authority.ts';
import { loadConfig } from '../config.ts';
import type { AuthorityContext } from '../context.ts';
import { txCodeHash } from '../enrollment/secrets.ts';
import { type Backend, backends } from '../testing/backends.ts';
import { CERTIFICATE_CONFIGURATION_ID } from './metadata.ts';
import { createCertificateOffer } from './offer.ts';
import { preAuthorizedCodeHash, randomToken } from './secrets.ts';

/** An authority served over real HTTP on loopback, with a clock the test moves. */
export interface ServedAuthority {
  url: string;
  authority: Authority;
  ctx: AuthorityContext;
  clock: { now: number };
  close(): Promise<void>;
}

export async function serveTestAuthority(backend: Backend): Promise<ServedAuthority> {
  // A fresh migrated database of the backend's kind; the authority opens its own connection to it
  // (PGlite's directory takes one owner at a time, so the backend's own is closed first).
  const storage = await backend.open();
  await storage.database.close();
  const env = storage.url ? { DATABASE_URL: storage.url } : { NETID_DATA_DIR: storage.dataDir! };
  let app: Authority['app'] | undefined;
  // Listen first: the public URL (the issuer identifier) must name the port the OS picked.
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    // The env carries Node's req/res: the OpenID Provider (Koa) answers on them directly.
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = { now: Date.now() };
  const authority = await createAuthority(loadConfig({ NETID_PUBLIC_URL: url, ...env }), {
    log: () => {},
    now: () => clock.now,
  }).catch(async (error) => {
    server.close();
    await storage.cleanup();
    throw error;
  });
  app = authority.app;
  return {
    url,
    authority,
    ctx: authority.ctx,
    clock,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await authority.close();
      await storage.cleanup();
    },
  };
}

/**
 * Runs `body` once per storage backend against an authority served over loopback HTTP. `served` is
 * filled in before the first test runs, so read its members inside tests, not while declaring them.
 */
export function describeServed(title: string, body: (served: ServedAuthority) => void): void {
  describe.each(backends)(`${title} on $name`, (backend: Backend) => {
    describe.skipIf(!backend.available)('over HTTP', () => {
      const served = {} as ServedAuthority;
      beforeAll(async () => {
        Object.assign(served, await serveTestAuthority(backend));
      });
      afterAll(() => served.close?.());
      body(served);
    });
  });
}

export interface IssuableSessionInput {
  personId: string;
  name?: string;
  birthdate?: string;
  documentType?: string;
  txCode?: string;
  passwordHash?: string | null;
  expiresInSeconds?: number;
}

/** Writes what the enrollment module hands over: a session in state `issuable`. */
export async function insertIssuableSession(ctx: AuthorityContext, input: IssuableSessionInput) {
  const sessionIdHash = randomBytes(32);
  const code = randomToken();
  const txCode = input.txCode ?? '493817';
  const data = {
    personId: input.personId,
    name: input.name ?? '张三',
    birthdate: input.birthdate ?? '1990-03-07',
    documentType: input.documentType ?? 'resident_id',
  };
  await ctx.db
    .insertInto('enrollment_sessions')
    .values({
      session_id_hash: sessionIdHash,
      state: 'issuable',
      expires_at: new Date(ctx.now() + (input.expiresInSeconds ?? 600) * 1000),
      data_enc: ctx.sealer.seal(
        Buffer.from(JSON.stringify(data)),
        `enrollment:${sessionIdHash.toString('hex')}`,
      ),
      password_hash:
        input.passwordHash === undefined
          ? hashSync('20240607', { memoryCost: 1024, timeCost: 1 })
          : input.passwordHash,
      pre_authorized_code_hash: preAuthorizedCodeHash(ctx.secrets.session, code),
      tx_code_hash: txCodeHash(ctx.secrets.session, txCode),
      created_at: new Date(ctx.now()),
    })
    .execute();
  return { sessionIdHash, code, txCode, data };
}

/** A compact JWS over exactly the header given (tests forge `alg`, `typ` and `jwk` with it). */
export function signRawJwt(key: SigningKey, header: object, payload: object): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  const signature =
    key.alg === 'ES256'
      ? cryptoSign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : cryptoSign(null, Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * A wallet's crypto for the library's client API, written straight on node:crypto rather than on
 * @netid/protocol's JWS code, so the other party in the tests does not share our signing code.
 */
export function walletCallbacks(
  deviceKey: SigningKey,
): Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> {
  const signJwt: SignJwtCallback = (_signer, { header, payload }) => ({
    jwt: signRawJwt(deviceKey, header, payload),
    signerJwk: deviceKey.publicJwk,
  });
  return {
    hash: (data, alg) =>
      createHash(alg === HashAlgorithm.Sha256 ? 'sha256' : alg === HashAlgorithm.Sha384 ? 'sha384' : 'sha512')
        .update(data)
        .digest(),
    generateRandom: (n) => randomBytes(n),
    signJwt,
    clientAuthentication: clientAuthenticationAnonymous(),
  };
}

/**
 * The whole pre-authorized code flow as a wallet runs it with the library's client API: resolve the
 * offer and metadata, token with tx_code, nonce, proof, credential. Returns the compact SD-JWT VC.
 */
export async function walletObtainsCertificate(
  ctx: AuthorityContext,
  deviceKey: SigningKey,
  session: { code: string; txCode: string },
): Promise<string> {
  const { credentialOffer } = await createCertificateOffer(ctx.config, {
    preAuthorizedCode: session.code,
    txCode: { length: session.txCode.length, inputMode: 'numeric' },
  });
  return walletRedeemsOffer(deviceKey, credentialOffer, session.txCode);
}

/**
 * What a wallet does with an offer (a URI it scanned) and the tx_code its user typed in: the wallet
 * package's redemption, driven by the library's client with this file's crypto. The library's errors
 * reach the test as the library throws them.
 */
export async function walletRedeemsOffer(deviceKey: SigningKey, credentialOffer: string, txCode: string) {
  const client = new Openid4vciClient({ callbacks: walletCallbacks(deviceKey) });
  const offer = await client.resolveCredentialOffer(credentialOffer);
  return redeemResolvedOffer(client, offer, deviceKey, {
    configurationId: CERTIFICATE_CONFIGURATION_ID,
    txCode,
  });
}
