import { describe, expect, it } from 'vitest';
import { parseUri, unwrapWalletLink } from './view.ts';

const LINK =
  'openid4vp://?client_id=https%3A%2F%2Fauthority.example%2Foidc&request_uri=https%3A%2F%2Fauthority.example%2Foidc%2Fvp%2Frequest%2Fabc';

describe('request links', () => {
  it('unwraps an "open wallet" link to the openid4vp link in its fragment', () => {
    expect(unwrapWalletLink(`https://wallet.example/#request=${encodeURIComponent(LINK)}`)).toBe(LINK);
    expect(parseUri(`http://127.0.0.1:8473/#request=${encodeURIComponent(LINK)}`)).toEqual({
      clientId: 'https://authority.example/oidc',
      requestUri: 'https://authority.example/oidc/vp/request/abc',
    });
  });

  it('leaves a bare link as it is, and refuses what is no request', () => {
    expect(unwrapWalletLink(`  ${LINK}\n`)).toBe(LINK);
    expect(unwrapWalletLink('https://wallet.example/#request=%E0%A4%A')).toBe(
      'https://wallet.example/#request=%E0%A4%A',
    );
    expect(() => parseUri('https://wallet.example/#/card')).toThrow(
      expect.objectContaining({ code: 'ERR_REQUEST_INVALID' }),
    );
  });
});
