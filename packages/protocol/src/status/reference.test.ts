// The Referenced Token side (draft-ietf-oauth-status-list §6.2) and Status Types (§7.1).
import { describe, expect, it } from 'vitest';
import { parseStatusReference } from './reference.ts';
import { checkStatusValue, STATUS } from './status-types.ts';
import { codeOf } from './test-support.ts';

describe('parseStatusReference (§6.1 Status Claim, §6.2 Referenced Token in JOSE)', () => {
  it('reads the §6.2 example', () => {
    const payload = { status: { status_list: { idx: 0, uri: 'https://example.com/statuslists/1' } } };
    expect(parseStatusReference(payload)).toEqual({ idx: 0, uri: 'https://example.com/statuslists/1' });
  });

  it('ignores other members of status_list (§6.2 "at least") and of status', () => {
    const payload = { status: { other: {}, status_list: { idx: 412, uri: 'https://e.example/s/1', x: 1 } } };
    expect(parseStatusReference(payload)).toEqual({ idx: 412, uri: 'https://e.example/s/1' });
  });

  it('returns undefined when the token has no status claim', () => {
    expect(parseStatusReference({ iss: 'https://e.example' })).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['status not an object', 'revoked'],
    ['status an array', [{ status_list: { idx: 0, uri: 'https://e.example/s' } }]],
    ['status without status_list (no mechanism we can check: fail closed)', { other_mechanism: {} }],
    ['status_list not an object', { status_list: 'https://e.example/s#0' }],
    ['idx missing', { status_list: { uri: 'https://e.example/s' } }],
    ['idx negative', { status_list: { idx: -1, uri: 'https://e.example/s' } }],
    ['idx fractional', { status_list: { idx: 1.5, uri: 'https://e.example/s' } }],
    ['idx a string', { status_list: { idx: '0', uri: 'https://e.example/s' } }],
    ['idx beyond 2^53', { status_list: { idx: 2 ** 53, uri: 'https://e.example/s' } }],
    ['uri missing', { status_list: { idx: 0 } }],
    ['uri not a string', { status_list: { idx: 0, uri: 7 } }],
    ['uri relative', { status_list: { idx: 0, uri: '/statuslists/1' } }],
    ['uri with spaces', { status_list: { idx: 0, uri: ' https://e.example/s' } }],
    ['uri empty', { status_list: { idx: 0, uri: '' } }],
  ])('%s → ERR_JWT_CLAIM_INVALID', (_name, status) => {
    expect(codeOf(() => parseStatusReference({ status }))).toBe('ERR_JWT_CLAIM_INVALID');
  });
});

describe('checkStatusValue (§7.1 Status Types Values)', () => {
  it('0x00 VALID passes', () => {
    expect(() => checkStatusValue(STATUS.VALID)).not.toThrow();
  });

  it('0x01 INVALID means revoked', () => {
    expect(codeOf(() => checkStatusValue(STATUS.INVALID))).toBe('ERR_STATUS_REVOKED');
  });

  it('0x02 SUSPENDED', () => {
    expect(codeOf(() => checkStatusValue(STATUS.SUSPENDED))).toBe('ERR_STATUS_SUSPENDED');
  });

  it.each([3, 0x0c, 0x0f, 4, 255, -1, Number.NaN])(
    'application-specific or reserved value %s is not valid',
    (value) => {
      expect(codeOf(() => checkStatusValue(value))).toBe('ERR_STATUS_INVALID');
    },
  );
});
