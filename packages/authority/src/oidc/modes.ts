import { AVAILABLE_MODES, MODES, type Mode } from '../platforms/platform.ts';

export type ModeChoice = { mode: Mode } | { error: string; description: string };

/**
 * The assurance mode for a sign-in: the first `acr_values` entry (in the platform's order of
 * preference) that the platform is registered for and that exists today; without `acr_values`, the
 * platform's first registered mode. Face modes are named and refused clearly until they exist.
 */
export function chooseMode(acrValues: string | undefined, allowed: readonly Mode[]): ModeChoice {
  const asked = (acrValues ?? '').split(' ').filter(Boolean);
  if (asked.length === 0) {
    const mode = allowed.find((m) => AVAILABLE_MODES.includes(m));
    return mode ? { mode } : unmet('this platform has no available mode');
  }
  for (const value of asked) {
    const mode = MODES.find((m) => m === value);
    if (mode && allowed.includes(mode) && AVAILABLE_MODES.includes(mode)) return { mode };
  }
  if (asked.some((v) => v.includes('face'))) {
    return unmet('face modes (cert+face, cert+password+face) are not available yet');
  }
  return unmet(`none of the requested modes is registered for this platform (${allowed.join(', ')})`);
}

const unmet = (description: string): ModeChoice => ({
  error: 'unmet_authentication_requirements',
  description,
});

/** RFC 8176 method references for the ID token's `amr`. */
export function amrFor(mode: Mode): string[] {
  return mode === 'cert+password' ? ['hwk', 'pwd'] : ['hwk'];
}
