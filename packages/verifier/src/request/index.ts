export { type CreateRequestOptions, createRequest, type DirectRequest } from './create-request.ts';
export type { PrivateJwk } from './signing-key.ts';
export type { DirectPostBody, VerifiedApplication, VerifyResponseOptions } from './verify-response.ts';
