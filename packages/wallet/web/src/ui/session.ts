import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { DeviceKey } from '../device/device-key.ts';
import type { Holder } from '../holder/holder.ts';
import type { HistoryEntry, VaultContents } from '../vault/contents.ts';

/** The unlocked wallet as every screen sees it. */
export interface Session {
  authority: string;
  contents: VaultContents;
  key: DeviceKey | undefined;
  /** Undefined until enrolled (or when no certificate is bound to this browser's key). */
  holder: Holder | undefined;
  /**
   * Applies `change` to the latest stored contents (one update at a time, across tabs) and
   * stores it; `key` when the change binds the wallet to a new device key (enrollment).
   */
  update(change: (current: VaultContents) => VaultContents, key?: DeviceKey): Promise<void>;
  /** Appends one decision to the history. */
  record(entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<void>;
  navigate(route: string): void;
  lock(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}
