export { type Authority, createAuthority } from './authority.ts';
export { type Config, ConfigError, loadConfig } from './config.ts';
export { startAuthority } from './main.ts';
export { type SeedOptions, type SeedResult, type SeedSample, seedRegistry } from './registry/seed.ts';
