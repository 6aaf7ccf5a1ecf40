import type { WalletRequestView } from './request.ts';

const CLAIMS: Record<string, string> = {
  name: 'your name',
  birthdate: 'your date of birth',
  age_over_14: 'whether you are over 14',
  age_over_16: 'whether you are over 16',
  age_over_18: 'whether you are over 18',
  document_type: 'your document type',
  enrollment_level: 'your enrollment level',
  net_number: 'your network number',
};

const MODES: Record<string, string> = {
  cert: 'this device’s certificate',
  'cert+password': 'this device’s certificate and your netid password',
};

export const claimLabel = (claim: string) => CLAIMS[claim] ?? claim;

/** What the person reads before deciding: who asks, what for, what, how, and the code to compare. */
export function describeRequest(view: WalletRequestView, now: number): string {
  const p = view.platform;
  const kind = p.kind === 'government' ? 'government service' : 'internet platform';
  const lines = [
    `${p.name.en} (${p.name.zh}) — ${kind}`,
    `  asks to verify your network identity${view.kind === 'direct' ? ' directly (the authority is not told)' : ' through the netid authority'}`,
    `  purpose: ${p.purpose.en} (${p.purpose.zh})`,
    view.claims.length
      ? `  asks for: ${view.claims.map(claimLabel).join(', ')}`
      : '  asks for: only that you are a verified, real person (no personal data)',
    `  with: ${MODES[view.mode] ?? view.mode}`,
  ];
  if (view.verificationCode)
    lines.push(`  verification code: ${view.verificationCode} (check it matches the screen)`);
  if (view.expiresAt) lines.push(`  answer within ${Math.max(0, Math.round(view.expiresAt - now / 1000))} s`);
  return `${lines.join('\n')}\n`;
}
