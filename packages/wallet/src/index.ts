// @netid/wallet: the holder's wallet — device key and certificates in an encrypted file, enrollment
// and OpenID4VCI issuance, and the `netid wallet` command.

export {
  type ApplicationCredential,
  type ObtainApplicationCredentialOptions,
  obtainApplicationCredential,
  type PresentApplicationOptions,
  presentApplicationCredential,
} from './application-credential.ts';
export { type CertificateSummary, summarizeCertificate } from './certificate.ts';
export { walletCommand } from './command.ts';
export { type EnrollAnswers, type Enrolled, type EnrollOptions, enroll } from './enroll.ts';
export type { WalletCommand, WalletIo } from './io.ts';
export { redeemOffer } from './issuance.ts';
export { MIN_PASSPHRASE_LENGTH } from './passphrase.ts';
export { type AuthorityProblem, AuthorityRefusedError, readableProblem } from './problems.ts';
export { createPrompter, type Prompter } from './prompt.ts';
export {
  createWallet,
  loadWallet,
  type OpenedWallet,
  type StoredCredential,
  type WalletContents,
  walletPath,
} from './wallet.ts';
export { DEFAULT_KDF, openWallet, sealWallet } from './wallet-file.ts';
