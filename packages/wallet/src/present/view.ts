import { fail } from '@netid/protocol/errors';
import { isPlainObject } from '@netid/protocol/json';
import { unwrapWalletLink } from '@netid/protocol/wallet-link';

export { unwrapWalletLink };

// What a wallet checks in an OID4VP request once its signature is verified, and how it shows it.
// Browser-safe (no Node built-ins): the CLI wallet and the web wallet (web/) share it.

/** An OID4VP request as the wallet shows it to the person before they decide. */
export interface WalletRequestView {
  /** `signin`: the authority asks for the network certificate on a platform's behalf (OIDC).
   *  `direct`: a platform asks for its application credential, no authority in the path. */
  kind: 'signin' | 'direct';
  clientId: string;
  platform: {
    clientId: string;
    kind: 'government' | 'internet';
    name: { zh: string; en: string };
    purpose: { zh: string; en: string };
  };
  /** Claims asked for, by name. */
  claims: string[];
  mode: string;
  verificationCode: string | undefined;
  nonce: string;
  state: string | undefined;
  responseUri: string;
  /** The DCQL credential query id the answer is keyed by. */
  queryId: string;
  vct: string;
  expiresAt: number | undefined;
}

/** `openid4vp://?client_id=…&request_uri=…` (or an https link carrying the same query). */
export function parseUri(uri: string): { clientId: string; requestUri?: string; request?: string } {
  let url: URL;
  try {
    url = new URL(unwrapWalletLink(uri));
  } catch {
    return fail('ERR_REQUEST_INVALID', 'this is not a request link');
  }
  const clientId = url.searchParams.get('client_id');
  const requestUri = url.searchParams.get('request_uri') ?? undefined;
  const request = url.searchParams.get('request') ?? undefined;
  if (!clientId || (!requestUri && !request)) {
    fail('ERR_REQUEST_INVALID', 'the link has no client_id and request_uri');
  }
  return { clientId: clientId!, ...(requestUri ? { requestUri } : {}), ...(request ? { request } : {}) };
}

export function viewOf(
  p: Record<string, unknown>,
  entry: Record<string, unknown> | undefined,
  isAuthority: boolean,
  now: number,
): WalletRequestView {
  if (typeof p.exp === 'number' && p.exp < now) fail('ERR_REQUEST_EXPIRED', 'the request has expired');
  if (p.response_type !== 'vp_token' || p.response_mode !== 'direct_post') {
    fail('ERR_REQUEST_INVALID', 'only vp_token by direct_post is supported');
  }
  if (typeof p.nonce !== 'string' || typeof p.response_uri !== 'string') {
    fail('ERR_REQUEST_INVALID', 'the request has no nonce or response_uri');
  }
  const responseUri = p.response_uri as string;
  if (!isAuthority) {
    const allowed = Array.isArray(entry!.redirect_uris) ? entry!.redirect_uris : [];
    if (!allowed.includes(responseUri)) {
      fail('ERR_REQUEST_UNTRUSTED', 'the answer would go to an address the platform did not register');
    }
  } else if (new URL(responseUri).origin !== new URL(p.client_id as string).origin) {
    fail('ERR_REQUEST_UNTRUSTED', 'the answer would leave the authority');
  }
  const query =
    isPlainObject(p.dcql_query) && Array.isArray(p.dcql_query.credentials)
      ? p.dcql_query.credentials[0]
      : undefined;
  if (!isPlainObject(query) || typeof query.id !== 'string' || !isPlainObject(query.meta)) {
    return fail('ERR_REQUEST_INVALID', 'the request has no DCQL credential query');
  }
  const vct = Array.isArray(query.meta.vct_values) ? query.meta.vct_values[0] : undefined;
  const claims = Array.isArray(query.claims)
    ? query.claims
        .map((c) => (isPlainObject(c) && Array.isArray(c.path) ? String(c.path[0]) : ''))
        .filter(Boolean)
    : [];
  const described = isAuthority ? p.netid_platform : entry;
  if (!isPlainObject(described)) fail('ERR_REQUEST_INVALID', 'the request does not say who asks');
  const d = described as Record<string, unknown>;
  return {
    kind: isAuthority ? 'signin' : 'direct',
    clientId: p.client_id as string,
    platform: {
      clientId: String(d.client_id),
      kind: d.kind === 'government' ? 'government' : 'internet',
      name: d.name as WalletRequestView['platform']['name'],
      purpose: d.purpose as WalletRequestView['platform']['purpose'],
    },
    claims,
    mode: typeof p.netid_mode === 'string' ? p.netid_mode : 'cert',
    verificationCode: typeof p.netid_verification_code === 'string' ? p.netid_verification_code : undefined,
    nonce: p.nonce as string,
    state: typeof p.state === 'string' ? p.state : undefined,
    responseUri,
    queryId: query.id,
    vct: String(vct),
    expiresAt: typeof p.exp === 'number' ? p.exp : undefined,
  };
}
