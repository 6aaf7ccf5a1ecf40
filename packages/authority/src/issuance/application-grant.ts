import { APPLICATION_CLAIMS } from '@netid/protocol';
import { z } from 'zod';
import type { AuthorityContext } from '../context.ts';
import type { TransientStore } from '../transient/store.ts';
import type { ApplicationClaims } from './application-credential.ts';

/** How long an application-credential offer may wait for its token request. */
export const APPLICATION_OFFER_SECONDS = 300;

const OFFER = 'app-offer';
const TOKEN = 'app-token';

/**
 * Everything issuance needs, decided when the holder authenticated for the offer. It names a person
 * (appId, claims) and a platform together, so it lives only in the UNLOGGED transient table, sealed,
 * for minutes, and is deleted when used (guarantee 2: no durable record of who uses which platform).
 */
export interface ApplicationGrant {
  appId: string;
  clientId: string;
  /** The device key the authentication presentation was bound to: the proof must use the same one. */
  deviceThumbprint: string;
  claims: ApplicationClaims;
  /** Milliseconds since the epoch. */
  certificateExpiresAt: number;
}

const grantSchema = z.strictObject({
  appId: z.string().min(1),
  clientId: z.string().min(1),
  deviceThumbprint: z.string().min(1),
  claims: z.partialRecord(z.enum(APPLICATION_CLAIMS), z.union([z.string(), z.boolean()])),
  certificateExpiresAt: z.number().int(),
});

/** The offer and its access token, each keyed by a keyed hash of its bearer value, used once. */
export interface ApplicationGrants {
  putOffer(codeHash: Buffer, grant: ApplicationGrant, expiresAt: Date): Promise<void>;
  /** When a live, unused offer has this code: its expiry (the grant stays sealed until taken). */
  offerExpiry(codeHash: Buffer, now: Date): Promise<Date | undefined>;
  takeOffer(codeHash: Buffer, now: Date): Promise<ApplicationGrant | undefined>;
  putToken(tokenHash: Buffer, grant: ApplicationGrant, expiresAt: Date): Promise<void>;
  findToken(tokenHash: Buffer, now: Date): Promise<ApplicationGrant | undefined>;
  takeToken(tokenHash: Buffer, now: Date): Promise<ApplicationGrant | undefined>;
}

export function applicationGrants(
  ctx: Pick<AuthorityContext, 'sealer'>,
  transient: TransientStore,
): ApplicationGrants {
  // The record's kind and id are the associated data: a sealed grant moved to another record does not open.
  const seal = (kind: string, id: string, grant: ApplicationGrant) => ({
    sealed: ctx.sealer.seal(Buffer.from(JSON.stringify(grant)), `${kind}:${id}`).toString('base64url'),
  });
  const open = (kind: string, id: string, payload: Record<string, unknown> | undefined) => {
    if (typeof payload?.sealed !== 'string') return undefined;
    const bytes = ctx.sealer.open(Buffer.from(payload.sealed, 'base64url'), `${kind}:${id}`);
    return grantSchema.parse(JSON.parse(bytes.toString('utf8')));
  };
  const idOf = (hash: Buffer) => hash.toString('base64url');

  return {
    async putOffer(codeHash, grant, expiresAt) {
      const id = idOf(codeHash);
      await transient.upsert(OFFER, id, seal(OFFER, id, grant), expiresAt);
    },
    async offerExpiry(codeHash, now) {
      const record = await transient.find(OFFER, idOf(codeHash), now);
      return record && !record.consumedAt ? record.expiresAt : undefined;
    },
    async takeOffer(codeHash, now) {
      const id = idOf(codeHash);
      return open(OFFER, id, await transient.take(OFFER, id, now));
    },
    async putToken(tokenHash, grant, expiresAt) {
      const id = idOf(tokenHash);
      await transient.upsert(TOKEN, id, seal(TOKEN, id, grant), expiresAt);
    },
    async findToken(tokenHash, now) {
      const id = idOf(tokenHash);
      const record = await transient.find(TOKEN, id, now);
      return record && !record.consumedAt ? open(TOKEN, id, record.payload) : undefined;
    },
    async takeToken(tokenHash, now) {
      const id = idOf(tokenHash);
      return open(TOKEN, id, await transient.take(TOKEN, id, now));
    },
  };
}
