import { presentSdJwt, type SigningKey } from '@netid/protocol';
import { type AnswerResult, answerWith, type Decision } from './direct-post.ts';
import type { WalletRequestView } from './request.ts';

export { type AnswerResult, type Decision, refusalOf, type VerifierRefusal } from './direct-post.ts';

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
  return answerWith(
    view,
    decision,
    (chosen) =>
      presentSdJwt(credential, {
        disclose: (path) => path.length === 1 && chosen.includes(String(path[0])),
        keyBinding: { key: deviceKey, audience: view.clientId, nonce: view.nonce },
      }),
    options.fetch,
  );
}
