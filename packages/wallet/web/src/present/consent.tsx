import { useEffect, useState } from 'preact/hooks';
import type { PendingRequest } from '../app.tsx';
import { applicationCredentialFor } from '../application/credential.ts';
import { claimLabel, kindLabel, modeLabel, useLang, useTexts } from '../i18n.ts';
import { explain } from '../net/errors.ts';
import { ErrorNote, NetidPasswordField, Screen, useAction } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import type { HistoryEntry } from '../vault/contents.ts';
import { answerRequest } from './answer.ts';
import { resolveRequest, type WalletRequestView } from './resolve.ts';

const TEXT = {
  zh: {
    loading: '正在核实请求…',
    title: '认证请求',
    failed: '无法处理该请求',
    registered: '已在认证机构登记（已核验）',
    viaAuthority: '通过认证机构登录',
    direct: '直接核验（认证机构不知情）',
    purpose: '用途',
    asks: '请求的信息（可取消勾选）',
    nothing: '仅确认您是经过实名认证的真实个人，不提供个人信息。',
    mode: '认证方式',
    code: '核对码',
    codeHint: '请确认与平台页面上显示的一致。',
    left: (s: number) => `剩余 ${s} 秒`,
    password: '网证口令（8位数字）',
    approve: '同意并认证',
    decline: '拒绝',
    approved: '认证完成。',
    declined: '已拒绝，平台已收到通知。',
    otherScreen: '请回到显示二维码的页面继续。',
    home: '返回我的网证',
  },
  en: {
    loading: 'Checking the request…',
    title: 'Verification request',
    failed: 'This request cannot be answered',
    registered: 'Registered with the authority (checked)',
    viaAuthority: 'Sign-in through the netid authority',
    direct: 'Direct verification (the authority is not told)',
    purpose: 'Purpose',
    asks: 'Asks for (untick what you do not want to share)',
    nothing: 'Only that you are a verified, real person — no personal data.',
    mode: 'With',
    code: 'Verification code',
    codeHint: 'Check it matches the code on the platform’s page.',
    left: (s: number) => `${s} s left`,
    password: 'netid password (8 digits)',
    approve: 'Approve',
    decline: 'Decline',
    approved: 'Done: you are verified.',
    declined: 'Declined. The platform has been told.',
    otherScreen: 'Carry on at the page that showed the QR code.',
    home: 'Back to my network ID',
  },
};

/** Refusals after which the same request can be answered again (the verifier kept it open). */
const RETRYABLE = new Set(['wrong_password', 'password_required']);

function reasonOf(error: unknown): string {
  const e = explain(error);
  if (e.source === 'verifier') return e.refusal.code;
  if (e.source === 'authority') return e.problem.code;
  if (e.source === 'network') return e.offline ? 'offline' : 'unreachable';
  return e.code;
}

/** Consent (DESIGN.md flow 2/3): who asks, why, for what, how; approve or decline. */
export function ConsentScreen(props: { request: PendingRequest; done: () => void }) {
  const t = useTexts(TEXT);
  const lang = useLang();
  const session = useSession();
  const holder = session.holder!;
  const [view, setView] = useState<WalletRequestView>();
  const [loadError, setLoadError] = useState<unknown>();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<{ approved: boolean }>();
  const [now, setNow] = useState(Date.now());
  const action = useAction();

  useEffect(() => {
    resolveRequest(props.request.link, holder.authority).then((v) => {
      setView(v);
      setChosen(new Set(v.claims));
    }, setLoadError);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [props.request.link]);

  const record = (
    v: WalletRequestView,
    result: HistoryEntry['result'],
    disclosed: string[],
    reason?: string,
  ) =>
    session.record({
      kind: v.kind,
      platform: { clientId: v.platform.clientId, kind: v.platform.kind, name: v.platform.name },
      requested: v.claims,
      disclosed,
      mode: v.mode,
      result,
      ...(reason ? { reason } : {}),
    });

  const answer = (approve: boolean) =>
    action.run(async () => {
      const v = view!;
      const disclose = approve ? v.claims.filter((c) => chosen.has(c)) : [];
      try {
        let credential = holder.credential;
        if (approve && v.kind === 'direct') {
          const app = await applicationCredentialFor(holder, session.contents, v.clientId);
          const fresh = app.contents?.applicationCredentials[v.clientId];
          if (fresh) {
            await session.update((c) => ({
              ...c,
              applicationCredentials: { ...c.applicationCredentials, [v.clientId]: fresh },
            }));
          }
          credential = app.credential;
        }
        const result = await answerRequest(v, credential, holder.key, {
          approve,
          disclose,
          ...(approve && v.mode === 'cert+password' ? { password } : {}),
        });
        await record(v, approve ? 'approved' : 'declined', disclose);
        // Same device: the platform's page was this browser's, so it continues here at once.
        if (props.request.sameDevice && result.redirectUri) {
          props.done();
          location.assign(result.redirectUri);
          return;
        }
        setOutcome({ approved: approve });
      } catch (error) {
        const reason = reasonOf(error);
        if (!RETRYABLE.has(reason)) await record(v, 'refused', [], reason);
        throw error;
      }
    });

  const finish = () => {
    props.done();
    session.navigate('/card');
  };

  if (loadError !== undefined) {
    return (
      <Screen title={t.failed}>
        <ErrorNote error={loadError} />
        <button type="button" onClick={finish}>
          {t.home}
        </button>
      </Screen>
    );
  }
  if (!view)
    return (
      <p class="loading" role="status">
        {t.loading}
      </p>
    );
  const p = view.platform;
  if (outcome) {
    return (
      <Screen title={p.name[lang]}>
        <p class="notice" role="status" data-testid="consent-outcome">
          {outcome.approved ? t.approved : t.declined}
        </p>
        <p>{t.otherScreen}</p>
        <div class="actions">
          <button type="button" onClick={finish}>
            {t.home}
          </button>
        </div>
      </Screen>
    );
  }
  const secondsLeft = view.expiresAt ? Math.max(0, Math.round(view.expiresAt - now / 1000)) : undefined;
  return (
    <Screen title={t.title}>
      <div class="card" data-testid="consent-platform">
        <h2>{p.name[lang]}</h2>
        <p>
          {kindLabel(p.kind, lang)} · <span class="tag ok">{t.registered}</span>
        </p>
        <p class="muted">{view.kind === 'signin' ? t.viaAuthority : t.direct}</p>
        <p>
          <strong>{t.purpose}：</strong>
          {p.purpose[lang]}
        </p>
      </div>
      {view.verificationCode ? (
        <p>
          {t.code}:{' '}
          <span class="code" data-testid="verification-code">
            {view.verificationCode}
          </span>
          <br />
          <small class="muted">{t.codeHint}</small>
        </p>
      ) : null}
      <fieldset class="claims">
        <legend>{t.asks}</legend>
        {view.claims.length === 0 ? <p>{t.nothing}</p> : null}
        {view.claims.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              checked={chosen.has(c)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(c);
                else next.delete(c);
                setChosen(next);
              }}
            />
            {claimLabel(c, lang)}
          </label>
        ))}
      </fieldset>
      <p>
        <strong>{t.mode}：</strong>
        {modeLabel(view.mode, lang)}
      </p>
      {secondsLeft !== undefined ? <p class="muted">{t.left(secondsLeft)}</p> : null}
      {view.mode === 'cert+password' ? (
        <NetidPasswordField id="consent-password" label={t.password} value={password} onValue={setPassword} />
      ) : null}
      <ErrorNote error={action.error} />
      <div class="actions">
        <button type="button" class="primary" disabled={action.busy} onClick={() => answer(true)}>
          {t.approve}
        </button>
        <button type="button" disabled={action.busy} onClick={() => answer(false)}>
          {t.decline}
        </button>
      </div>
    </Screen>
  );
}
