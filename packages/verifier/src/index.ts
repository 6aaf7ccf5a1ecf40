// @netid/verifier: platforms verify netid presentations offline, from memory.

export { APPLICATION_VCT, type ErrorCode, isNetidError, NetidError } from '@netid/protocol';
export { issuerMetadataUrl } from './metadata.ts';
export * from './request/index.ts';
export {
  type CacheOptions,
  type CreateVerifierOptions,
  createVerifier,
  type VerifiedPresentation,
  type Verifier,
  type VerifyPresentationOptions,
} from './verifier.ts';
