import { parseOpenid4vpAuthorizationResponse } from '@openid4vc/openid4vp';
import type Provider from 'oidc-provider';
import type { AuthorityContext } from '../context.ts';
import { Problem } from '../http/problem.ts';
import { serverCallbacks } from '../issuance/callbacks.ts';
import { applicationIdentifier } from '../platforms/app-id.ts';
import { approvedPlatform } from '../platforms/approved.ts';
import type { Platform } from '../platforms/platform.ts';
import { checkPassword } from '../selfservice/password.ts';
import type { SelfServiceStore } from '../selfservice/store.ts';
import type { TransientStore } from '../transient/store.ts';
import { approveInteraction, denyInteraction } from './finish.ts';
import { verifyCertificatePresentation } from './presentation.ts';
import {
  findWalletRequest,
  takeWalletRequest,
  WALLET_REQUEST_SECONDS,
  type WalletRequest,
} from './wallet-request.ts';

export interface ResponseDeps {
  ctx: AuthorityContext;
  provider: Provider;
  transient: TransientStore;
  store: SelfServiceStore;
  findPlatform(clientId: string): Promise<Platform | undefined>;
}

const gone = () =>
  new Problem(400, 'request_expired', 'this request is used or expired', 'start the sign-in again');

/** The `direct_post` answer (OID4VP 1.0 §8.2): each step small, in the order they run. */
export async function answerWalletRequest(deps: ResponseDeps, id: string, form: Record<string, string>) {
  const request = await findWalletRequest(deps.ctx, deps.transient, id);
  if (!request) throw gone();
  if (form.state !== request.state)
    throw new Problem(400, 'invalid_state', 'the state does not match the request');
  if (form.error) return decline(deps, request, id);
  const presentation = await presentationOf(request, form);
  // The platform may have been suspended while the person was reading the consent screen.
  const platform = approvedPlatform(await deps.findPlatform(request.clientId));
  const verified = await verifyCertificatePresentation(deps.ctx, deps.store, presentation, {
    nonce: request.nonce,
    maxAgeSeconds: WALLET_REQUEST_SECONDS,
  });
  if (request.mode === 'cert+password') await confirmPassword(deps, verified.netNumber, form.netid_password);
  // Single use, taken only once everything holds: a wrong password can be corrected, a replay cannot.
  if (!(await takeWalletRequest(deps.ctx, deps.transient, id))) throw gone();
  const redirectUri = await approveInteraction(deps.ctx, deps.provider, deps.transient, {
    uid: request.uid,
    clientId: platform.clientId,
    appId: applicationIdentifier(deps.ctx.secrets.appId, platform.sector, verified.netNumber),
    mode: request.mode,
    released: released(request, verified.claims),
  });
  return { redirect_uri: redirectUri };
}

async function decline(deps: ResponseDeps, request: WalletRequest, id: string) {
  if (!(await takeWalletRequest(deps.ctx, deps.transient, id))) throw gone();
  return { redirect_uri: await denyInteraction(deps.ctx, deps.provider, request.uid) };
}

/** The library checks the response against the request: state, DCQL ids, one presentation. */
async function presentationOf(request: WalletRequest, form: Record<string, string>) {
  let parsed: Awaited<ReturnType<typeof parseOpenid4vpAuthorizationResponse>>;
  try {
    parsed = await parseOpenid4vpAuthorizationResponse({
      authorizationResponse: form,
      authorizationRequestPayload: request.authorizationRequest as never,
      // direct_post, not direct_post.jwt: nothing to verify or decrypt in the envelope itself.
      callbacks: {
        verifyJwt: serverCallbacks.verifyJwt,
        decryptJwe: () => {
          throw new Error('encrypted responses are not accepted');
        },
      },
    });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw new Problem(400, 'invalid_response', 'the wallet response is not valid', why);
  }
  const entry = parsed.type === 'dcql' ? parsed.dcql.presentations.certificate?.[0] : undefined;
  if (typeof entry !== 'string') {
    throw new Problem(
      400,
      'invalid_response',
      'the wallet response is not valid',
      'no certificate presentation',
    );
  }
  return entry;
}

async function confirmPassword(deps: ResponseDeps, netNumber: string, password: string | undefined) {
  if (!password) throw new Problem(400, 'password_required', 'this sign-in needs your netid password');
  await checkPassword(deps.store, netNumber, password, new Date(deps.ctx.now()));
}

/** Released = asked (already ∩ allowed) ∩ disclosed by the person in the wallet. */
function released(request: WalletRequest, claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of request.claims) if (name in claims) out[name] = claims[name];
  return out;
}
