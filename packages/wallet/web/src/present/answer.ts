import { type AnswerResult, postAnswer } from '../../../src/present/direct-post.ts';
import type { WalletRequestView } from '../../../src/present/view.ts';
import type { DeviceKey } from '../device/device-key.ts';
import { presentCredential } from '../holder/sdjwt.ts';

export interface Decision {
  approve: boolean;
  /** Claims the person ticked: only those are disclosed. */
  disclose: string[];
  /** The netid password, for `cert+password`. */
  password?: string;
}

/**
 * The answer by `direct_post`: a presentation of `credential` (the certificate for a sign-in, the
 * platform's application credential for direct verification) disclosing exactly the ticked claims,
 * bound to this request's nonce and client; or `access_denied`, so the platform learns at once.
 */
export async function answerRequest(
  view: WalletRequestView,
  credential: string | undefined,
  key: DeviceKey,
  decision: Decision,
): Promise<AnswerResult> {
  const form = new URLSearchParams();
  if (view.state) form.set('state', view.state);
  if (!decision.approve || !credential) {
    form.set('error', 'access_denied');
  } else {
    const chosen = decision.disclose.filter((c) => view.claims.includes(c));
    const presentation = await presentCredential(credential, chosen, key, {
      audience: view.clientId,
      nonce: view.nonce,
    });
    form.set('vp_token', JSON.stringify({ [view.queryId]: [presentation] }));
    if (decision.password) form.set('netid_password', decision.password);
  }
  return postAnswer(view.responseUri, form, fetch);
}
