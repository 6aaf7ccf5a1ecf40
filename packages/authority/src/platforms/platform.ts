import { APPLICATION_CLAIMS } from '@netid/protocol';

/**
 * A platform (relying party) as the operator registered it. Nothing here names a person: the
 * register says who may ask for what, never who signed in (guarantee 2).
 */

export const PLATFORM_KINDS = ['government', 'internet'] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/** Assurance modes (DESIGN.md), exposed as OIDC `acr` values. */
export const MODES = ['cert', 'cert+password', 'cert+face', 'cert+password+face'] as const;
export type Mode = (typeof MODES)[number];
/** The face modes come with the face issue; until then they are refused with a clear error. */
export const AVAILABLE_MODES: readonly Mode[] = ['cert', 'cert+password'];

/**
 * Claims a platform may be allowed: those an application credential can carry (one list for both
 * ways of verifying). `net_number` only for government platforms; the age predicates are offered in
 * preference to `birthdate`.
 */
export const PLATFORM_CLAIMS = APPLICATION_CLAIMS;
export type PlatformClaim = (typeof PLATFORM_CLAIMS)[number];

export const PLATFORM_STATES = ['pending', 'approved', 'suspended'] as const;
export type PlatformState = (typeof PLATFORM_STATES)[number];

export interface LocalizedText {
  zh: string;
  en: string;
}

export interface Platform {
  clientId: string;
  kind: PlatformKind;
  sector: string;
  name: LocalizedText;
  purpose: LocalizedText;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Public JWKS for private_key_jwt and signed direct-verification requests. */
  jwks: { keys: Record<string, unknown>[] } | null;
  /** Sealed under the KEK; development only. */
  clientSecretEnc: Buffer | null;
  allowedClaims: PlatformClaim[];
  allowedModes: Mode[];
  mayRequestNetNumber: boolean;
  state: PlatformState;
  createdAt: Date;
  updatedAt: Date;
}

/** What the platforms module needs from storage; `sql/platforms.ts` implements it. */
export interface PlatformStore {
  /** Fails with `platform_exists` / `sector_taken` (as a Problem) on a duplicate. */
  insert(platform: Platform): Promise<void>;
  find(clientId: string): Promise<Platform | undefined>;
  list(): Promise<Platform[]>;
  /**
   * Returns the updated platform, or undefined when there is none — or, given `from`, when its
   * current state is not one of those (checked in the same statement, so transitions cannot race).
   */
  setState(
    clientId: string,
    state: PlatformState,
    now: Date,
    from?: readonly PlatformState[],
  ): Promise<Platform | undefined>;
}
