import {
  APPLICATION_VCT,
  checkStatusValue,
  fail,
  type Jwks,
  KeySet,
  parseStatusReference,
  type VerifiedStatusListToken,
  verifySdJwt,
  verifyStatusListJwt,
} from '@netid/protocol';
import { type CachedResource, createCachedResource, createResourceRegistry } from './cache/index.ts';
import { issuerMetadataUrl, parseIssuerMetadata } from './metadata.ts';
import {
  type DirectPostBody,
  type VerifiedApplication,
  type VerifyResponseOptions,
  verifyDirectResponse,
} from './request/verify-response.ts';

export interface CacheOptions {
  /** Freshness when a response has no max-age, in seconds (default 300). */
  defaultMaxAgeSeconds?: number;
  /** Refresh no more often than this (default 30 s) … */
  minRefreshSeconds?: number;
  /** … and at least this often (default 3600 s). */
  maxRefreshSeconds?: number;
  /**
   * How long a status list may be served after the issuer stopped answering, in seconds (default
   * 86,400). Past that, presentations that need it fail with ERR_STATUS_LIST_UNAVAILABLE: failing
   * closed is the safe default for revocation.
   */
  maxStatusStaleSeconds?: number;
}

export interface CreateVerifierOptions {
  /** The authority's issuer identifier (`iss` of every credential). */
  issuer: string;
  /** Pinned issuer keys: no key fetch at all. Otherwise keys come from the issuer metadata. */
  jwks?: Jwks;
  /** Defaults to the SD-JWT VC well-known location for `issuer`. */
  metadataUrl?: string;
  /** Status lists to load before any presentation (those in the issuer metadata are added). */
  statusLists?: string[];
  /**
   * Origins whose status lists may be fetched (default: the issuer's). A status URI elsewhere is
   * refused, so a presentation cannot make us fetch an address of its choosing.
   */
  statusListOrigins?: string[];
  /** Accepted `vct` values (default: any). */
  vct?: string[];
  cache?: CacheOptions;
  /** Seconds of clock difference tolerated (default 60). */
  clockSkew?: number;
  fetch?: typeof fetch;
  /** For tests and replays: the clock, in milliseconds. */
  now?: () => number;
  /** Background fetch failures (the verifier keeps serving from cache). */
  onError?: (error: unknown) => void;
}

export interface VerifyPresentationOptions {
  /** Your client identifier: the KB-JWT must be addressed to you … */
  audience: string;
  /** … and carry the nonce you issued for this request. */
  nonce: string;
  /** Claim paths (`name`, `address.city`) that must have been disclosed. */
  requiredClaims?: string[];
  /** Maximum age of the holder's key-binding signature, in seconds (default 300). */
  maxKeyBindingAgeSeconds?: number;
}

export interface VerifiedPresentation {
  /** Processed claims: what the issuer signed and the holder chose to disclose. */
  claims: Record<string, unknown>;
  /** `sub`: the application identifier for application credentials; undefined when not disclosed. */
  subject: string | undefined;
  /** When the credential expires (seconds since the epoch). */
  expiresAt: number | undefined;
  vct: string;
}

export interface Verifier {
  /** Resolves once issuer keys (and the listed status lists) are in memory. */
  ready(): Promise<void>;
  /**
   * Verifies a compact SD-JWT VC presentation using memory only: never a network request. Rejects
   * with a NetidError whose `code` says why.
   */
  verify(presentation: string, options: VerifyPresentationOptions): Promise<VerifiedPresentation>;
  /**
   * Verifies the wallet's `direct_post` answer to a request made with `createRequest()`, from memory
   * only: an application credential for this platform (`clientId`), key-bound to the request's
   * nonce. Whatever `vct` option the verifier has, only application credentials are accepted here.
   */
  verifyResponse(body: DirectPostBody, options: VerifyResponseOptions): Promise<VerifiedApplication>;
  /** Stops background refreshing. */
  close(): void;
}

export function createVerifier(options: CreateVerifierOptions): Verifier {
  const now = options.now ?? Date.now;
  const resourceOptions = {
    fetch: options.fetch,
    now,
    onError: options.onError,
    defaultMaxAgeSeconds: options.cache?.defaultMaxAgeSeconds,
    minRefreshSeconds: options.cache?.minRefreshSeconds,
    maxRefreshSeconds: options.cache?.maxRefreshSeconds,
  };
  const keySource = createKeySource(options, resourceOptions);
  const statusLists = createResourceRegistry<VerifiedStatusListToken>({
    allowedOrigins: options.statusListOrigins ?? [new URL(options.issuer).origin],
    parse: (body) => verifyStatusListJwt(body.trim(), keySource.keys()),
    resource: { ...resourceOptions, accept: 'application/statuslist+jwt' },
  });
  const maxStale = (options.cache?.maxStatusStaleSeconds ?? 86_400) * 1000;

  const loading = (async () => {
    const listed = await keySource.load();
    const uris = [...(options.statusLists ?? []), ...listed];
    await Promise.all(uris.map((uri) => statusLists.ensure(uri).load()));
  })();
  // Callers that never await ready() must not crash the process on an unreachable issuer.
  loading.catch(() => {});

  function checkStatus(claims: Record<string, unknown>): void {
    const ref = parseStatusReference(claims);
    if (ref === undefined) return;
    const entry = statusLists.get(ref.uri);
    if (entry === undefined) {
      // Learn the shard for next time; this presentation cannot wait for the network.
      try {
        statusLists.ensure(ref.uri);
      } catch {}
      fail('ERR_STATUS_LIST_UNAVAILABLE', 'the status list for this credential is not loaded yet');
    }
    // Status list draft §8.3 step 4a: the list's subject is the URI the credential points at.
    if (entry.value.uri !== ref.uri) fail('ERR_STATUS_LIST_INVALID', 'status list subject does not match');
    const t = now();
    if ((entry.value.exp !== undefined && entry.value.exp * 1000 <= t) || t - entry.fetchedAt > maxStale) {
      fail('ERR_STATUS_LIST_UNAVAILABLE', 'the cached status list is too old to rely on');
    }
    if (ref.idx >= entry.value.list.size)
      fail('ERR_STATUS_INDEX_OUT_OF_RANGE', 'status index outside the list');
    checkStatusValue(entry.value.list.get(ref.idx));
  }

  async function check(
    presentation: string,
    verifyOptions: VerifyPresentationOptions,
    acceptedVct: readonly string[] | undefined,
  ): Promise<VerifiedPresentation> {
    await loading;
    const result = verifySdJwt(presentation, {
      keys: keySource.keys(),
      now: Math.floor(now() / 1000),
      clockSkew: options.clockSkew,
      keyBinding: {
        audience: verifyOptions.audience,
        nonce: verifyOptions.nonce,
        maxAgeSeconds: verifyOptions.maxKeyBindingAgeSeconds,
      },
    });
    const { claims } = result;
    if (claims.iss !== options.issuer) fail('ERR_JWT_CLAIM_INVALID', 'credential from another issuer');
    const vct = claims.vct as string;
    if (acceptedVct && !acceptedVct.includes(vct))
      fail('ERR_JWT_CLAIM_INVALID', `vct ${vct} is not accepted`);
    checkStatus(claims);
    for (const path of verifyOptions.requiredClaims ?? []) {
      if (lookup(claims, path) === undefined) fail('ERR_CLAIM_MISSING', `claim ${path} was not disclosed`);
    }
    return {
      claims,
      subject: typeof claims.sub === 'string' ? claims.sub : undefined,
      expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
      vct,
    };
  }

  return {
    ready: () => loading,
    verify: (presentation, verifyOptions) => check(presentation, verifyOptions, options.vct),
    verifyResponse: (body, responseOptions) =>
      verifyDirectResponse(
        (presentation, verifyOptions) => check(presentation, verifyOptions, [APPLICATION_VCT]),
        body,
        responseOptions,
        { now, clockSkew: options.clockSkew ?? 60 },
      ),
    close() {
      keySource.stop();
      statusLists.stopAll();
    },
  };
}

interface KeySource {
  /** Loads keys; resolves to the status lists the issuer metadata lists. */
  load(): Promise<string[]>;
  keys(): KeySet;
  stop(): void;
}

type ResourceOptions = Parameters<typeof createCachedResource>[0] extends infer O
  ? Omit<O & object, 'url' | 'parse'>
  : never;

/** Pinned keys, or the issuer metadata (inline `jwks` or `jwks_uri`), kept fresh in the background. */
function createKeySource(options: CreateVerifierOptions, resourceOptions: ResourceOptions): KeySource {
  if (options.jwks) {
    const pinned = new KeySet(options.jwks);
    return { load: async () => [], keys: () => pinned, stop: () => {} };
  }
  const metadata = createCachedResource({
    ...resourceOptions,
    url: options.metadataUrl ?? issuerMetadataUrl(options.issuer),
    accept: 'application/json',
    parse: (body) => parseIssuerMetadata(body, options.issuer),
  });
  let jwks: CachedResource<KeySet> | undefined;
  return {
    async load() {
      const meta = await metadata.load();
      metadata.start();
      if (meta.jwksUri) {
        jwks = createCachedResource({
          ...resourceOptions,
          url: meta.jwksUri,
          accept: 'application/jwk-set+json, application/json',
          parse: (body) => new KeySet(JSON.parse(body)),
        });
        await jwks.load();
        jwks.start();
      }
      return meta.statusLists;
    },
    keys() {
      const fromUri = jwks?.current()?.value;
      const fromMeta = metadata.current()?.value.keys;
      const keys = fromUri ?? fromMeta;
      if (!keys) return fail('ERR_JWKS_NO_MATCHING_KEY', 'issuer keys are not loaded');
      return keys;
    },
    stop() {
      metadata.stop();
      jwks?.stop();
    },
  };
}

function lookup(claims: Record<string, unknown>, path: string): unknown {
  let node: unknown = claims;
  for (const step of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}
