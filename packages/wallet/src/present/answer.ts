import { presentSdJwt, type SigningKey } from '@netid/protocol';
import { type AnswerResult, postAnswer } from './direct-post.ts';
import type { WalletRequestView } from './request.ts';

export { type AnswerResult, refusalOf, type VerifierRefusal } from './direct-post.ts';

export interface Decision {
  approve: boolean;
  /** Claims the person agreed to disclose: a subset of `view.claims`. */
  disclose: string[];
  /** For `cert+password`. */
  password?: string;
}

/**
 * Answers a request by `direct_post`: approve with a presentation disclosing exactly the claims the
 * person chose, bound to the device key over the request's nonce and client; or decline with
 * `access_denied` so the platform learns at once.
 */
export async function answerRequest(
  view: WalletRequestView,
  credential: string,
  deviceKey: SigningKey,
  decision: Decision,
  options: { fetch?: typeof fetch } = {},
): Promise<AnswerResult> {
  const form = new URLSearchParams();
  if (view.state) form.set('state', view.state);
  if (!decision.approve) {
    form.set('error', 'access_denied');
  } else {
    const chosen = new Set(decision.disclose.filter((c) => view.claims.includes(c)));
    const presentation = presentSdJwt(credential, {
      disclose: (path) => path.length === 1 && chosen.has(String(path[0])),
      keyBinding: { key: deviceKey, audience: view.clientId, nonce: view.nonce },
    });
    form.set('vp_token', JSON.stringify({ [view.queryId]: [presentation] }));
    if (decision.password) form.set('netid_password', decision.password);
  }
  return postAnswer(view.responseUri, form, options.fetch ?? fetch);
}
