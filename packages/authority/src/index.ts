export { type Authority, createAuthority } from './authority.ts';
export { type Config, ConfigError, loadConfig } from './config.ts';
export { startAuthority } from './main.ts';
