export { DEFAULT_MAX_BYTES as STATUS_LIST_MAX_BYTES } from './compression.ts';
export { parseStatusReference, type StatusReference } from './reference.ts';
export {
  isStatusBits,
  type StatusBits,
  StatusList,
  type StatusListClaim,
  type StatusListDecodeOptions,
  type StatusListEncodeOptions,
} from './status-list.ts';
export {
  STATUS_LIST_JWT_TYP,
  type StatusListTokenInput,
  signStatusListJwt,
  type VerifiedStatusListToken,
  type VerifyStatusListOptions,
  verifyStatusListJwt,
} from './status-list-token.ts';
export { checkStatusValue, STATUS } from './status-types.ts';
