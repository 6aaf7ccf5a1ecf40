import { NetidError } from '@netid/protocol/errors';
import { type AuthorityProblem, problemFrom, readableProblem } from './problems.ts';

/** Revocation reasons in the holder's words; an unknown one is shown as the authority spells it. */
export function readableReason(reason: unknown): string {
  const words: Record<string, string> = {
    lost_device: 'lost device',
    holder_request: "at the holder's request",
  };
  if (typeof reason !== 'string' || reason === '') return 'no reason given';
  return words[reason] ?? reason.replaceAll('_', ' ');
}

const attemptsLeft = (p: AuthorityProblem) =>
  typeof p.extra.attempts_left === 'number' ? ` (${p.extra.attempts_left} attempts left)` : '';

/** The holder's reading of each problem code the self-service endpoints answer with. */
const READABLE: Record<string, (p: AuthorityProblem) => string> = {
  wrong_password: (p) => `the netid password is wrong${attemptsLeft(p)}`,
  password_locked: (p) =>
    `too many wrong passwords: the netid password is locked until ${
      typeof p.extra.locked_until === 'string' ? p.extra.locked_until : 'later'
    }`,
  // The authority may name the reason (it only ever tells the holder of the very certificate).
  certificate_revoked: (p) =>
    `this device's certificate has been revoked${
      p.extra.revocation_reason === undefined ? '' : ` (${readableReason(p.extra.revocation_reason)})`
    }`,
  certificate_unknown: () => "the authority does not know this device's certificate",
  person_inactive: () => 'this network number has been cancelled',
  already_cancelled: () => 'this network number is already cancelled',
  challenge_invalid: () => "the authority's challenge expired or was already used: try again",
  certificate_not_found: () => 'you have no certificate with that id (see netid wallet devices)',
  invalid_reason: (p) => `the authority does not take that reason${p.detail ? ` (${p.detail})` : ''}`,
  no_password: () => 'this network number has no netid password to confirm with',
  invalid_presentation: (p) =>
    `the authority did not accept this wallet's certificate presentation${p.detail ? ` (${p.detail})` : ''}`,
};

export function readableSelfServiceProblem(p: AuthorityProblem): string {
  return READABLE[p.code]?.(p) ?? readableProblem(p);
}

/** A self-service refusal, worded for the holder; `problem.code` is the authority's stable code. */
export class SelfServiceRefusedError extends NetidError {
  constructor(readonly problem: AuthorityProblem) {
    super('ERR_AUTHORITY_REFUSED', readableSelfServiceProblem(problem));
  }
}

export function selfServiceRefusal(status: number, body: unknown): SelfServiceRefusedError {
  return new SelfServiceRefusedError(problemFrom(status, body));
}
