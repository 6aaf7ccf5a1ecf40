import { NetidError } from '@netid/protocol/errors';
import type { Unreachable } from '../../../src/http.ts';
import type { VerifierRefusal } from '../../../src/present/direct-post.ts';
import type { AuthorityProblem } from '../../../src/problems.ts';

/** Failures that start in the wallet itself, each with a stable code the screens word for people. */
export type WalletErrorCode =
  | 'no_wallet'
  | 'wrong_passphrase'
  | 'passphrase_too_short'
  | 'passphrases_differ'
  | 'passwords_differ'
  | 'no_certificate'
  | 'not_bound_to_device'
  | 'wrong_platform'
  | 'camera_unavailable'
  | 'not_a_request';

export class WalletError extends Error {
  override readonly name = 'WalletError';
  constructor(
    readonly code: WalletErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

/**
 * Any failure, reduced to what a screen explains: a wallet code, a refusal by the authority or a
 * verifier (with the server's stable code and its extras), or one of the shared ERR_* codes.
 */
export type Explained =
  | { source: 'wallet'; code: WalletErrorCode }
  | { source: 'authority'; problem: AuthorityProblem }
  | { source: 'verifier'; refusal: VerifierRefusal }
  | { source: 'network'; offline: boolean; target: string }
  | { source: 'protocol'; code: string; message: string };

export function explain(error: unknown): Explained {
  if (error instanceof WalletError) return { source: 'wallet', code: error.code };
  const problem = (error as { problem?: AuthorityProblem }).problem;
  if (error instanceof NetidError && problem) return { source: 'authority', problem };
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof NetidError && error.code === 'ERR_VERIFIER_REFUSED' && isRefusal(cause)) {
    return { source: 'verifier', refusal: cause };
  }
  if (error instanceof NetidError && error.code === 'ERR_FETCH_FAILED') {
    const target = (cause as Partial<Unreachable> | undefined)?.target ?? '';
    return { source: 'network', offline: !navigator.onLine, target };
  }
  // A fetch of the wallet's own (its config, say) fails with a bare TypeError; offline says why.
  if (error instanceof TypeError && !navigator.onLine)
    return { source: 'network', offline: true, target: '' };
  if (error instanceof NetidError) return { source: 'protocol', code: error.code, message: error.message };
  return { source: 'protocol', code: 'unexpected', message: (error as Error)?.message ?? String(error) };
}

function isRefusal(v: unknown): v is VerifierRefusal {
  return typeof v === 'object' && v !== null && typeof (v as VerifierRefusal).code === 'string';
}
