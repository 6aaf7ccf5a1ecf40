import { fail, isPlainObject, presentSdJwt, type SigningKey } from '@netid/protocol';
import type { WalletRequestView } from './request.ts';

export interface Decision {
  approve: boolean;
  /** Claims the person agreed to disclose: a subset of `view.claims`. */
  disclose: string[];
  /** For `cert+password`. */
  password?: string;
}

export interface AnswerResult {
  /** Where a same-device browser continues (OID4VP 1.0 §8.2), when the verifier gives one. */
  redirectUri?: string;
}

/** A refusal from the verifier, with its stable code and whatever the person can act on. */
export interface VerifierRefusal {
  status: number;
  code: string;
  title: string;
  detail?: string;
  extra: Record<string, unknown>;
}

export function refusalOf(error: unknown): VerifierRefusal | undefined {
  const cause = (error as { cause?: unknown })?.cause;
  return isPlainObject(cause) && typeof cause.code === 'string'
    ? (cause as unknown as VerifierRefusal)
    : undefined;
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
  return post(view.responseUri, form, options.fetch ?? fetch);
}

async function post(url: string, form: URLSearchParams, f: typeof fetch): Promise<AnswerResult> {
  let res: Response;
  try {
    res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return fail('ERR_FETCH_FAILED', `cannot reach ${new URL(url).origin}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = isPlainObject(body) ? body : {};
    const { code, title, detail, status: _s, type: _t, ...extra } = b;
    const refusal: VerifierRefusal = {
      status: res.status,
      code: typeof code === 'string' ? code : typeof b.error === 'string' ? b.error : `http_${res.status}`,
      title:
        typeof title === 'string'
          ? title
          : typeof b.error_description === 'string'
            ? b.error_description
            : 'refused',
      ...(typeof detail === 'string' ? { detail } : {}),
      extra,
    };
    return fail(
      'ERR_VERIFIER_REFUSED',
      `${refusal.title}${refusal.detail ? ` (${refusal.detail})` : ''}`,
      refusal,
    );
  }
  const redirect =
    isPlainObject(body) && typeof body.redirect_uri === 'string' ? body.redirect_uri : undefined;
  return redirect ? { redirectUri: redirect } : {};
}
