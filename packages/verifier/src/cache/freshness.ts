/**
 * How long a fetched issuer resource (JWKS, status list) may be served before we revalidate it,
 * derived from the response's Cache-Control (RFC 9111 §5.2.2) and clamped to the caller's bounds:
 * the floor stops an issuer (or a misconfigured CDN) from making us poll in a tight loop, the ceiling
 * stops a huge max-age from pinning a revoked credential as valid for days.
 */

export interface FreshnessPolicy {
  defaultMaxAgeSeconds: number;
  minRefreshSeconds: number;
  maxRefreshSeconds: number;
}

export interface CacheDirectives {
  maxAge: number | undefined;
  noStore: boolean;
  noCache: boolean;
  /** max-age appeared more than once or with a non-numeric value. */
  conflicting: boolean;
}

const DELTA_SECONDS = /^\d+$/;

/** Parses the directives we act on; unknown directives are ignored as RFC 9111 §5.2 requires. */
export function parseCacheControl(header: string | null): CacheDirectives {
  const out: CacheDirectives = { maxAge: undefined, noStore: false, noCache: false, conflicting: false };
  if (header === null) return out;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    // Values may be quoted (§5.2: "both token and quoted-string forms").
    const raw =
      eq === -1
        ? undefined
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (name === 'no-store') out.noStore = true;
    else if (name === 'no-cache') out.noCache = true;
    else if (name === 'max-age') {
      if (out.maxAge !== undefined || raw === undefined || !DELTA_SECONDS.test(raw)) out.conflicting = true;
      else out.maxAge = Number(raw);
    }
  }
  return out;
}

/**
 * Seconds the response stays fresh from the moment it was received. `Age` (§5.1) is subtracted so
 * that a copy which already sat in a CDN for a while is not trusted for its full max-age again.
 */
export function freshnessSeconds(
  cacheControl: string | null,
  age: string | null,
  policy: FreshnessPolicy,
): number {
  const d = parseCacheControl(cacheControl);
  let seconds: number;
  // no-store / no-cache forbid reuse without revalidation; the closest we can honour without
  // fetching on the verification path is to revalidate as often as the floor allows. Conflicting
  // max-age values make the response stale per §4.2.1, which we treat the same way.
  if (d.noStore || d.noCache || d.conflicting) seconds = 0;
  else if (d.maxAge !== undefined) {
    const ageSeconds = age !== null && DELTA_SECONDS.test(age.trim()) ? Number(age.trim()) : 0;
    seconds = d.maxAge - ageSeconds;
  } else seconds = policy.defaultMaxAgeSeconds;
  return Math.min(policy.maxRefreshSeconds, Math.max(policy.minRefreshSeconds, seconds));
}
