import { CLAIM_WORDS, MODE_WORDS } from './labels.ts';
import type { WalletRequestView } from './request.ts';

export const claimLabel = (claim: string) => CLAIM_WORDS[claim]?.en ?? claim;

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
    `  with: ${MODE_WORDS[view.mode]?.en ?? view.mode}`,
  ];
  if (view.verificationCode)
    lines.push(`  verification code: ${view.verificationCode} (check it matches the screen)`);
  if (view.expiresAt) lines.push(`  answer within ${Math.max(0, Math.round(view.expiresAt - now / 1000))} s`);
  return `${lines.join('\n')}\n`;
}
