import { CERTIFICATE_CLAIMS } from './certificate.ts';
/**
 * The application credential's vocabulary (DESIGN.md flow 3): a short-lived SD-JWT VC for ONE
 * platform, whose subject is the person's application identifier there. The authority issues it,
 * the wallet presents it, the platform's verifier checks it offline — so all three name it here.
 */
export const APPLICATION_VCT = 'urn:netid:application:1';

/** The OID4VCI credential configuration the authority issues it under. */
export const APPLICATION_CONFIGURATION_ID = 'netid_application';

/** The DCQL credential query id of a direct-verification request, and so the `vp_token` key. */
export const APPLICATION_QUERY_ID = 'application';

/**
 * Never longer than this, so it is never revoked (DESIGN.md): it carries no `status` reference and
 * a verifier needs nothing from the authority but its keys.
 */
export const APPLICATION_MAX_SECONDS = 24 * 3600;

/**
 * The claims an application credential may carry, each selectively disclosable: those of the
 * platform's allowed claims the person has. `net_number` only for platforms registered to ask for it.
 */
export type ApplicationClaim = Exclude<(typeof CERTIFICATE_CLAIMS)[number], 'face_match'>;
/** The certificate's claims but the face-match score, which belongs to one sign-in, not to a platform. */
export const APPLICATION_CLAIMS: readonly ApplicationClaim[] = CERTIFICATE_CLAIMS.filter(
  (c): c is ApplicationClaim => c !== 'face_match',
);
