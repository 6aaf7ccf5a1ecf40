import { fail, isPlainObject, KeySet } from '@netid/protocol';

/**
 * Where an SD-JWT VC issuer publishes its metadata (draft-ietf-oauth-sd-jwt-vc §5.2): the well-known
 * segment goes between the host and the issuer's path.
 */
export function issuerMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/jwt-vc-issuer${path}`;
}

export interface IssuerMetadata {
  issuer: string;
  /** Inline keys, or … */
  keys?: KeySet;
  /** … where to fetch them. */
  jwksUri?: string;
  /** netid extension: every status-list shard, so verifiers can load them all before any presentation. */
  statusLists: string[];
}

export function parseIssuerMetadata(body: string, expectedIssuer: string): IssuerMetadata {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fail('ERR_MALFORMED', 'issuer metadata is not JSON');
  }
  if (!isPlainObject(json)) fail('ERR_MALFORMED', 'issuer metadata is not an object');
  // §5.2: the issuer in the metadata MUST be identical to the issuer the URL was built from.
  if (json.issuer !== expectedIssuer) fail('ERR_MALFORMED', 'issuer metadata names another issuer');
  const statusLists = Array.isArray(json.status_lists)
    ? json.status_lists.filter((u): u is string => typeof u === 'string')
    : [];
  if (json.jwks !== undefined) return { issuer: expectedIssuer, keys: new KeySet(json.jwks), statusLists };
  if (typeof json.jwks_uri === 'string')
    return { issuer: expectedIssuer, jwksUri: json.jwks_uri, statusLists };
  return fail('ERR_MALFORMED', 'issuer metadata has neither jwks nor jwks_uri');
}
