// @netid/protocol: the formats every netid role speaks. One public operation per module; this file
// only gathers them.

export * from './application.ts';
export * from './certificate.ts';
export * from './document/index.ts';
export * from './errors.ts';
export * from './jose/index.ts';
export * from './number/index.ts';
export * from './sdjwt/index.ts';
export * from './status/index.ts';
export * from './wallet-link.ts';
