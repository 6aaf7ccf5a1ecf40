import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { TransientStore } from '../transient/store.ts';

/**
 * oidc-provider's models (pushed requests, interactions, sessions, grants, codes, tokens) live in
 * the UNLOGGED `transient` table: each lasts minutes, and none is worth a durable write — a crash
 * costs in-flight sign-ins a retry. `Client` is not stored here: platforms come from the register.
 */
export function transientAdapter(
  store: TransientStore,
  now: () => number,
  client: (clientId: string) => Promise<ClientMetadata | undefined>,
) {
  return class TransientAdapter implements Adapter {
    readonly kind: string;
    constructor(name: string) {
      this.kind = `oidc:${name}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      // Every model we keep has a lifetime; an unbounded one would outlive the minutes promised.
      const seconds = expiresIn > 0 ? expiresIn : 600;
      await store.upsert(
        this.kind,
        id,
        payload as Record<string, unknown>,
        new Date(now() + seconds * 1000),
        {
          ...(payload.grantId ? { grantId: payload.grantId } : {}),
          ...(payload.uid ? { uid: payload.uid } : {}),
          ...(payload.userCode ? { userCode: payload.userCode } : {}),
        },
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      // Read on every use (oidc-provider caches by content), so a suspension takes effect at once.
      if (this.kind === 'oidc:Client') return (await client(id)) as AdapterPayload | undefined;
      const record = await store.find(this.kind, id, new Date(now()));
      return record && withConsumed(record.payload, record.consumedAt);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const record = await store.findByUid(this.kind, uid, new Date(now()));
      return record && withConsumed(record.payload, record.consumedAt);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const record = await store.findByUserCode(this.kind, userCode, new Date(now()));
      return record && withConsumed(record.payload, record.consumedAt);
    }

    async consume(id: string): Promise<void> {
      await store.consume(this.kind, id, new Date(now()));
    }

    async destroy(id: string): Promise<void> {
      await store.destroy(this.kind, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.revokeByGrantId(grantId);
    }
  };
}

/** oidc-provider reads `consumed` (epoch seconds) to spot a replayed code. */
function withConsumed(payload: Record<string, unknown>, consumedAt: Date | null): AdapterPayload {
  return consumedAt ? { ...payload, consumed: Math.floor(consumedAt.getTime() / 1000) } : payload;
}
