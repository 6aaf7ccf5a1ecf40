import { NetidError } from '@netid/protocol/errors';

/** What the authority said when it refused a step (RFC 9457 problem, or an OAuth error response). */
export interface AuthorityProblem {
  status: number;
  /** The problem `code` (enrollment) or the OAuth `error` (token, credential endpoints). */
  code: string;
  title?: string;
  detail?: string;
  extra: Record<string, unknown>;
}

/**
 * A refusal from the authority, worded for the holder. `problem.code` is the server's stable code,
 * for scripts and for the prompts that let the holder try again.
 */
export class AuthorityRefusedError extends NetidError {
  constructor(readonly problem: AuthorityProblem) {
    super('ERR_AUTHORITY_REFUSED', readableProblem(problem));
  }
}

/** The holder's reading of each problem code the enrollment and issuance endpoints answer with. */
const READABLE: Record<string, (p: AuthorityProblem) => string> = {
  registry_mismatch: () =>
    'the document does not match the registry: check the document type, number, name and birthdate',
  otp_incorrect: (p) =>
    `the SMS code is not correct${typeof p.extra.attemptsLeft === 'number' ? ` (${p.extra.attemptsLeft} attempts left)` : ''}`,
  otp_expired: () => 'the SMS code expired: ask for a new one',
  otp_locked: () => 'too many attempts with wrong codes: the enrollment is locked, start again',
  otp_throttled: (p) => `too many attempts: a code was sent a moment ago${retry(p)}`,
  otp_send_limit: () => 'too many attempts: no more codes can be sent in this enrollment, start again later',
  session_expired: () => 'the enrollment session expired: start again',
  session_not_found: () => 'the enrollment session is unknown to the authority: start again',
  guardian_required: () => 'people under 14 enroll with the approval of a guardian',
  weak_password: (p) => `the password is too easy to guess: ${p.detail ?? 'choose another'}`,
  invalid_phone: () => 'the phone number is not a mainland mobile number (11 digits starting with 13–19)',
  // OID4VCI token endpoint (RFC 6749 §5.2): a wrong or expired pre-authorized code or tx_code.
  invalid_grant: (p) => `the wallet code was refused: ${p.detail ?? 'it is wrong or expired'}`,
};

function retry(p: AuthorityProblem): string {
  return typeof p.extra.retryAfter === 'number' ? `, try again in ${p.extra.retryAfter} s` : '';
}

export function readableProblem(p: AuthorityProblem): string {
  const known = READABLE[p.code];
  if (known) return known(p);
  // ERR_DOCUMENT_* and the like: the authority's own title is already written for people.
  const text = [p.title, p.detail].filter(Boolean).join(': ');
  return text ? `${text} (${p.code})` : `the authority refused the request (${p.code}, HTTP ${p.status})`;
}

/** Reads a problem+json or OAuth error body; anything else becomes a generic problem with the status. */
export function problemFrom(status: number, body: unknown): AuthorityProblem {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const { code, title, detail, error, error_description, type: _t, status: _s, ...extra } = b;
    if (typeof code === 'string') {
      return {
        status,
        code,
        ...(typeof title === 'string' ? { title } : {}),
        ...(typeof detail === 'string' ? { detail } : {}),
        extra,
      };
    }
    if (typeof error === 'string') {
      return {
        status,
        code: error,
        ...(typeof error_description === 'string' ? { detail: error_description } : {}),
        extra: {},
      };
    }
  }
  return { status, code: `http_${status}`, extra: {} };
}
