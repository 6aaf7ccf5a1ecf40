import type Provider from 'oidc-provider';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import type { Mode } from '../platforms/platform.ts';
import type { TransientStore } from '../transient/store.ts';
import { saveDisclosure } from './disclosure.ts';
import { amrFor } from './modes.ts';
import { requestedClaims } from './scopes.ts';

const expired = () =>
  new Problem(400, 'request_expired', 'this sign-in has expired', 'start again at the platform');

/** Seconds the interaction has left: a result is saved for that long, no longer. */
const remaining = (interaction: { exp: number }, nowMs: number) =>
  Math.max(1, interaction.exp - Math.floor(nowMs / 1000));

/**
 * The wallet approved: log in as the application identifier, grant exactly the released claims,
 * and leave the result on the interaction for the browser to pick up (it polls, then resumes the
 * authorization request with its own cookies — the code goes only to that browser).
 */
export async function approveInteraction(
  ctx: AuthorityContext,
  provider: Provider,
  transient: TransientStore,
  input: { uid: string; clientId: string; appId: string; mode: Mode; released: Record<string, unknown> },
): Promise<string> {
  const interaction = await provider.Interaction.find(input.uid);
  if (!interaction) throw expired();
  // The grant covers what was asked; what the person withheld has no value, so it is not emitted.
  const grant = new provider.Grant({ accountId: input.appId, clientId: input.clientId });
  grant.addOIDCScope(String(interaction.params.scope ?? 'openid'));
  const asked = requestedClaims(undefined, interaction.params.claims);
  grant.addOIDCClaims(['sub', 'acr', 'amr', ...asked, ...Object.keys(input.released)]);
  const grantId = await grant.save();
  await saveDisclosure(ctx, transient, grantId, input.released);
  interaction.result = {
    login: { accountId: input.appId, acr: input.mode, amr: amrFor(input.mode), remember: false },
    consent: { grantId },
  };
  await interaction.save(remaining(interaction, ctx.now()));
  return interaction.returnTo;
}

/** The person declined in the wallet: the platform gets `access_denied`. */
export async function denyInteraction(
  ctx: AuthorityContext,
  provider: Provider,
  uid: string,
): Promise<string> {
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) throw expired();
  interaction.result = { error: 'access_denied', error_description: 'the person declined in the wallet' };
  await interaction.save(remaining(interaction, ctx.now()));
  return interaction.returnTo;
}

export type InteractionStatus = 'pending' | 'approved' | 'denied' | 'expired';

/** What the authorization page polls for. */
export async function interactionStatus(
  provider: Provider,
  uid: string,
): Promise<{ status: InteractionStatus; returnTo?: string }> {
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) return { status: 'expired' };
  const result = interaction.result as Record<string, unknown> | undefined;
  if (!result) return { status: 'pending' };
  return { status: 'error' in result ? 'denied' : 'approved', returnTo: interaction.returnTo };
}
