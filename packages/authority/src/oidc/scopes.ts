import type { PlatformClaim } from '../platforms/platform.ts';

/**
 * Scopes a platform may ask for, and the claims each stands for. `age` gives the predicates, not
 * the birthdate: a platform that needs only "over 18" never learns the day of birth.
 */
export const SCOPE_CLAIMS: Record<string, readonly PlatformClaim[]> = {
  name: ['name'],
  age: ['age_over_14', 'age_over_16', 'age_over_18'],
  birthdate: ['birthdate'],
  document: ['document_type', 'enrollment_level'],
  net_number: ['net_number'],
};

const AGE_PREDICATES: readonly PlatformClaim[] = ['age_over_14', 'age_over_16', 'age_over_18'];

/**
 * What the wallet is asked for: requested ∩ allowed by the register, and `net_number` only where
 * the registration allows it (guarantee 1). When a predicate is asked for too, the birthdate is
 * dropped: the predicate answers the question with less.
 */
export function claimsToAsk(
  requested: Iterable<string>,
  platform: { allowedClaims: readonly PlatformClaim[]; mayRequestNetNumber: boolean },
): PlatformClaim[] {
  const allowed = new Set<string>(platform.allowedClaims);
  const wanted = new Set<string>();
  for (const claim of requested) if (allowed.has(claim)) wanted.add(claim);
  if (!platform.mayRequestNetNumber) wanted.delete('net_number');
  if (AGE_PREDICATES.some((p) => wanted.has(p))) wanted.delete('birthdate');
  return [...wanted].sort() as PlatformClaim[];
}

/** Claims named by the scope string and by the `claims` request parameter (OIDC Core §5.5). */
export function requestedClaims(scope: string | undefined, claimsParameter: unknown): Set<string> {
  const out = new Set<string>();
  for (const s of (scope ?? '').split(' ')) for (const c of SCOPE_CLAIMS[s] ?? []) out.add(c);
  let parsed = claimsParameter;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed && typeof parsed === 'object') {
    for (const where of ['id_token', 'userinfo'] as const) {
      const section = (parsed as Record<string, unknown>)[where];
      if (section && typeof section === 'object') for (const c of Object.keys(section)) out.add(c);
    }
  }
  out.delete('acr');
  out.delete('sub');
  return out;
}
