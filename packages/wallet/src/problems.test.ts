import { describe, expect, it } from 'vitest';
import { problemFrom, readableProblem } from './problems.ts';

describe('authority refusals in words', () => {
  it.each([
    [
      422,
      { code: 'registry_mismatch', title: 'the document does not match the registry' },
      'does not match the registry',
    ],
    [
      400,
      { code: 'otp_incorrect', title: 'x', attemptsLeft: 3 },
      'the SMS code is not correct (3 attempts left)',
    ],
    [410, { code: 'otp_expired', title: 'x' }, 'the SMS code expired'],
    [423, { code: 'otp_locked', title: 'x' }, 'too many attempts'],
    [
      429,
      { code: 'otp_throttled', title: 'x', retryAfter: 42 },
      'too many attempts: a code was sent a moment ago, try again in 42 s',
    ],
    [
      400,
      { code: 'weak_password', title: 'x', detail: 'the password repeats a short pattern of digits' },
      'too easy to guess: the password repeats',
    ],
    // An ERR_DOCUMENT_* problem: the authority's title, and the code for reference.
    [
      400,
      { code: 'ERR_DOCUMENT_CHECKSUM', title: 'the check digit does not match' },
      'the check digit does not match (ERR_DOCUMENT_CHECKSUM)',
    ],
    // OAuth error responses (RFC 6749 §5.2) from the token endpoint.
    [
      400,
      { error: 'invalid_grant', error_description: 'the tx_code is wrong' },
      'the wallet code was refused: the tx_code is wrong',
    ],
    [502, '<html>bad gateway</html>', 'the authority refused the request (http_502, HTTP 502)'],
  ])('HTTP %i %j reads "%s"', (status, body, expected) => {
    expect(readableProblem(problemFrom(status, body))).toContain(expected);
  });
});
