import { type AnswerResult, answerWith, type Decision } from '../../../src/present/direct-post.ts';
import type { WalletRequestView } from '../../../src/present/view.ts';
import type { DeviceKey } from '../device/device-key.ts';
import { presentCredential } from '../holder/sdjwt.ts';

export type { Decision };

/**
 * The answer by `direct_post` with `credential` — the certificate for a sign-in, the platform's
 * application credential for direct verification — presented by the browser's device key.
 */
export function answerRequest(
  view: WalletRequestView,
  credential: string,
  key: DeviceKey,
  decision: Decision,
): Promise<AnswerResult> {
  return answerWith(view, decision, (chosen) =>
    presentCredential(credential, chosen, key, { audience: view.clientId, nonce: view.nonce }),
  );
}
