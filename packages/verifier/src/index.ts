// @netid/verifier: platforms verify netid presentations offline, from memory.

export { type ErrorCode, isNetidError, NetidError } from '@netid/protocol';
export { issuerMetadataUrl } from './metadata.ts';
export {
  type CacheOptions,
  type CreateVerifierOptions,
  createVerifier,
  type VerifiedPresentation,
  type Verifier,
  type VerifyPresentationOptions,
} from './verifier.ts';
