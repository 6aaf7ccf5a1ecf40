import { fail } from '@netid/protocol/errors';
import { isPlainObject } from '@netid/protocol/json';
import { unreachable } from '../http.ts';
import type { WalletRequestView } from './view.ts';

// The `direct_post` of an answer (OID4VP 1.0 §8.2) and the verifier's refusals as the person can act
// on them. Browser-safe: the CLI wallet and the web wallet (web/) share it.

export interface Decision {
  approve: boolean;
  /** Claims the person agreed to disclose: a subset of `view.claims`. */
  disclose: string[];
  /** For `cert+password`. */
  password?: string;
}

/**
 * Answers a request by `direct_post`: approve with `present(chosen)` — a presentation disclosing
 * exactly the chosen claims the request asked for, bound by the caller's device key to the
 * request's nonce and client — or decline with `access_denied` so the platform learns at once.
 */
export async function answerWith(
  view: WalletRequestView,
  decision: Decision,
  present: (chosen: string[]) => string | Promise<string>,
  f: typeof fetch = fetch,
): Promise<AnswerResult> {
  const form = new URLSearchParams();
  if (view.state) form.set('state', view.state);
  if (!decision.approve) {
    form.set('error', 'access_denied');
  } else {
    const presentation = await present(decision.disclose.filter((c) => view.claims.includes(c)));
    form.set('vp_token', JSON.stringify({ [view.queryId]: [presentation] }));
    if (decision.password) form.set('netid_password', decision.password);
  }
  return postAnswer(view.responseUri, form, f);
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

/** Posts the form to the response URI; a refusal becomes ERR_VERIFIER_REFUSED with the refusal as cause. */
export async function postAnswer(url: string, form: URLSearchParams, f: typeof fetch): Promise<AnswerResult> {
  let res: Response;
  try {
    res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return unreachable(url, error);
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
