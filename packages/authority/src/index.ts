export { type Authority, createAuthority } from './authority.ts';
export { type Config, ConfigError, loadConfig } from './config.ts';
export { startAuthority } from './main.ts';
export { LOOKUP_REASONS, type LookupReason } from './operator/lookup-reasons.ts';
export { type SeedOptions, type SeedResult, type SeedSample, seedRegistry } from './registry/seed.ts';
export { REVOCATION_REASONS, type RevocationReason } from './status/revoke.ts';
