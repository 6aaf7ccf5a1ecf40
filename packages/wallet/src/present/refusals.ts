import type { VerifierRefusal } from './answer.ts';

/** A refusal from the verifier in words a person can act on. */
export function readableRefusal(r: VerifierRefusal): string {
  switch (r.code) {
    case 'wrong_password':
      return `wrong netid password — ${String(r.extra.attempts_left ?? '?')} attempts left`;
    case 'password_locked':
      return `too many wrong passwords: locked until ${String(r.extra.locked_until ?? 'later')}`;
    case 'password_required':
      return 'this sign-in needs your netid password';
    case 'certificate_revoked':
      return `this device's certificate was revoked (${String(r.extra.revocation_reason ?? 'no reason given')}) — enroll again or use another device`;
    case 'person_inactive':
      return 'your network number is cancelled';
    case 'platform_suspended':
      return 'the authority has suspended this platform: it cannot verify anyone now';
    case 'request_expired':
      return 'the request has expired or was already answered — start again at the platform';
    default:
      return `${r.title}${r.detail ? ` (${r.detail})` : ''} [${r.code}]`;
  }
}
