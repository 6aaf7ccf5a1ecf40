import type { AuthorityContext } from '../context.ts';
import type { TransientStore } from '../transient/store.ts';
import { OIDC_TTL } from './provider.ts';

const KIND = 'oidc:Disclosure';
const context = (grantId: string) => `disclosure:${grantId}`;

/**
 * What the wallet disclosed for one grant, sealed under the KEK, in the transient table until the
 * grant expires: oidc-provider reads it once, to build the ID token.
 */
export async function saveDisclosure(
  ctx: AuthorityContext,
  transient: TransientStore,
  grantId: string,
  claims: Record<string, unknown>,
): Promise<void> {
  const sealed = ctx.sealer.seal(Buffer.from(JSON.stringify(claims)), context(grantId)).toString('base64url');
  await transient.upsert(KIND, grantId, { sealed }, new Date(ctx.now() + OIDC_TTL.Grant * 1000), { grantId });
}

export async function readDisclosure(
  ctx: AuthorityContext,
  transient: TransientStore,
  grantId: string,
): Promise<Record<string, unknown>> {
  const record = await transient.find(KIND, grantId, new Date(ctx.now()));
  const sealed = record?.payload.sealed;
  if (typeof sealed !== 'string') return {};
  return JSON.parse(ctx.sealer.open(Buffer.from(sealed, 'base64url'), context(grantId)).toString('utf8'));
}
