import { fail } from '@netid/protocol';
import {
  type CachedEntry,
  type CachedResource,
  type CachedResourceOptions,
  createCachedResource,
} from './resource.ts';

/**
 * Cached resources keyed by URL, so that the thousands of credentials that point at one status-list
 * shard share one copy and one refresh loop. URLs come from presentations, so the registry is
 * bounded: an origin allow-list and a cap on distinct URLs keep a stream of crafted presentations
 * from turning the verifier into a fetcher of arbitrary addresses or a memory sink.
 */

export interface ResourceRegistryOptions<T> {
  parse: CachedResourceOptions<T>['parse'];
  /** Origins (`https://status.example`) whose URLs may be tracked; any http(s) origin when omitted. */
  allowedOrigins?: readonly string[];
  /** Distinct URLs tracked at most. Default 1000. */
  maxEntries?: number;
  /** Options shared by every resource (fetch, now, onError, limits, …). */
  resource?: Omit<CachedResourceOptions<T>, 'url' | 'parse'>;
}

export interface ResourceRegistry<T> {
  /** The cached entry for `url`, or undefined. Synchronous and never fetches. */
  get(url: string): CachedEntry<T> | undefined;
  /**
   * Tracks `url` (first fetch in the background) and returns its resource; an already tracked URL
   * returns the same resource. Throws `ERR_STATUS_LIST_UNAVAILABLE` for URLs it refuses to fetch.
   */
  ensure(url: string): CachedResource<T>;
  readonly size: number;
  stopAll(): void;
}

const DEFAULT_MAX_ENTRIES = 1000;

export function createResourceRegistry<T>(options: ResourceRegistryOptions<T>): ResourceRegistry<T> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) fail('ERR_MALFORMED', 'maxEntries must be ≥ 1');
  const allowed =
    options.allowedOrigins === undefined ? undefined : new Set(options.allowedOrigins.map(originOf));
  const resources = new Map<string, CachedResource<T>>();

  function key(url: string): string | undefined {
    try {
      return new URL(url).href;
    } catch {
      return undefined;
    }
  }

  return {
    get(url) {
      // Hot path (once per presentation): URIs issuers write are normally already in normal form,
      // so try the string as given before paying for a URL parse.
      const direct = resources.get(url);
      if (direct !== undefined) return direct.current();
      const k = key(url);
      return k === undefined ? undefined : resources.get(k)?.current();
    },
    ensure(url) {
      const k = key(url);
      if (k === undefined) fail('ERR_STATUS_LIST_UNAVAILABLE', `not a URL: ${JSON.stringify(url)}`);
      const existing = resources.get(k);
      if (existing !== undefined) return existing;
      const parsed = new URL(k);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        fail('ERR_STATUS_LIST_UNAVAILABLE', `refusing to fetch ${parsed.protocol} URL ${k}`);
      }
      // Credentials in a URL would be sent to the issuer on our behalf; nothing legitimate needs them.
      if (parsed.username !== '' || parsed.password !== '') {
        fail('ERR_STATUS_LIST_UNAVAILABLE', 'refusing a URL with credentials');
      }
      if (allowed !== undefined && !allowed.has(parsed.origin)) {
        fail('ERR_STATUS_LIST_UNAVAILABLE', `origin ${parsed.origin} is not allowed`);
      }
      if (resources.size >= maxEntries) {
        fail('ERR_STATUS_LIST_UNAVAILABLE', `already tracking ${maxEntries} URLs; refusing ${k}`);
      }
      const resource = createCachedResource({ ...options.resource, url: k, parse: options.parse });
      resources.set(k, resource);
      resource.start();
      return resource;
    },
    get size() {
      return resources.size;
    },
    stopAll() {
      for (const resource of resources.values()) resource.stop();
    },
  };
}

function originOf(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch (err) {
    fail('ERR_MALFORMED', `allowedOrigins: not an origin: ${JSON.stringify(origin)}`, err);
  }
}
