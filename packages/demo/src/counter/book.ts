import { randomBytes } from 'node:crypto';

/** Why a check did not pass, as the counter explains it to the clerk. */
export type Refusal =
  | 'declined'
  | 'wrong_platform'
  | 'expired'
  | 'replayed'
  | 'not_application'
  | 'malformed'
  | 'invalid';

export type Outcome =
  | { status: 'verified'; appId: string; name?: string; netNumber?: string }
  | { status: 'refused'; reason: Refusal; detail: string };

/** What a request needs to be answered: from `createRequest`, kept here and never sent to the page. */
export interface PendingRequest {
  nonce: string;
  state: string;
  verificationCode: string;
  uri: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** One check at the counter: a request to a wallet, or a pasted on-site presentation. */
export interface Check {
  /** In the clerk's page address only; the wallet sees the state, never this. */
  id: string;
  kind: 'request' | 'onsite';
  request?: PendingRequest;
  outcome?: Outcome;
  createdAt: number;
}

export type CheckStatus = 'pending' | 'expired' | 'verified' | 'refused';

export interface CheckBook {
  open(request: PendingRequest): Check;
  /** An on-site check, decided at once. */
  record(outcome: Outcome): Check;
  get(id: string): Check | undefined;
  /** The pending request this state answers; undefined for an unknown or already answered one. */
  pendingByState(state: string): Check | undefined;
  settle(check: Check, outcome: Outcome): void;
  status(check: Check): CheckStatus;
}

/** How long a check (and the name and number it shows) stays in memory. */
const KEEP_MS = 30 * 60 * 1000;

/**
 * The counter's memory of its checks. Names and network numbers shown to the clerk stay only here,
 * for half an hour, bounded in number: the demo counter has no database and keeps no register of
 * who came by. A request answers once; its state is forgotten as soon as it is answered.
 */
export function createCheckBook(now: () => number = Date.now, max = 1000): CheckBook {
  const checks = new Map<string, Check>();
  const byState = new Map<string, Check>();

  function forget(check: Check) {
    checks.delete(check.id);
    if (check.request) byState.delete(check.request.state);
  }
  function purge() {
    const cutoff = now() - KEEP_MS;
    // Insertion order is age order: stop at the first one still young enough.
    for (const check of checks.values()) {
      if (check.createdAt >= cutoff && checks.size < max) break;
      forget(check);
    }
  }
  function add(check: Omit<Check, 'id' | 'createdAt'>): Check {
    purge();
    const full: Check = { ...check, id: randomBytes(16).toString('base64url'), createdAt: now() };
    checks.set(full.id, full);
    return full;
  }

  return {
    open(request) {
      const check = add({ kind: 'request', request });
      byState.set(request.state, check);
      return check;
    },
    record: (outcome) => add({ kind: 'onsite', outcome }),
    get(id) {
      const check = checks.get(id);
      return check && check.createdAt >= now() - KEEP_MS ? check : undefined;
    },
    pendingByState(state) {
      const check = byState.get(state);
      return check && !check.outcome ? check : undefined;
    },
    settle(check, outcome) {
      check.outcome = outcome;
      if (check.request) byState.delete(check.request.state);
    },
    status(check) {
      if (check.outcome) return check.outcome.status;
      return check.request && check.request.expiresAt * 1000 < now() ? 'expired' : 'pending';
    },
  };
}
