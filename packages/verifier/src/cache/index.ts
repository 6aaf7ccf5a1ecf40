export { backoffDelayMs } from './backoff.ts';
export {
  type CacheDirectives,
  type FreshnessPolicy,
  freshnessSeconds,
  parseCacheControl,
} from './freshness.ts';
export {
  createResourceRegistry,
  type ResourceRegistry,
  type ResourceRegistryOptions,
} from './registry.ts';
export {
  type CachedEntry,
  type CachedResource,
  type CachedResourceOptions,
  createCachedResource,
  type ResourceHealth,
} from './resource.ts';
