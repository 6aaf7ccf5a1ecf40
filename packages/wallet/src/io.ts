import type { Readable, Writable } from 'node:stream';

/** The streams a wallet command uses; the same shape as the CLI's `Io`, so `netid` passes its own. */
export interface WalletIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export type WalletCommand = (args: string[], io: WalletIo) => Promise<number>;
