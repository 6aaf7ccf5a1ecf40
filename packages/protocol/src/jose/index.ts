export * from './base64url.ts';
export * from './claims.ts';
export * from './jwk.ts';
export * from './jws.ts';
export * from './keys.ts';
export * from './keyset.ts';
