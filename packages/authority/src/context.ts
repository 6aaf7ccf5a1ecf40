import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { IssuerKeys } from './keys/issuer-keys.ts';
import type { Sealer } from './keys/kek.ts';

/**
 * What every domain module is handed: plain values, no container. Modules take the parts they need
 * and build their own store from `db`.
 */
export interface AuthorityContext {
  config: Config;
  db: Db;
  sealer: Sealer;
  issuerKeys: IssuerKeys;
  /** Named 32-byte secrets, opened at start. */
  secrets: { dedupe: Buffer; appId: Buffer; registryLookup: Buffer; phone: Buffer; session: Buffer };
  /** Milliseconds; injectable so tests can move time. */
  now: () => number;
  log: (line: string) => void;
}
