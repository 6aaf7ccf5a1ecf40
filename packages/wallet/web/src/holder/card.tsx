import { useEffect, useRef, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { claimLabel, formatTime, useLang, useTexts } from '../i18n.ts';
import { ErrorNote, Field, Screen } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import { maskNetNumber } from './holder.ts';
import { ONSITE_REFRESH_SECONDS, onsiteCode } from './onsite.ts';
import { type DirectoryEntry, listPlatforms } from './platforms.ts';

const TEXT = {
  zh: {
    title: '我的网证',
    netNumber: '网号',
    name: '姓名',
    validUntil: '有效期至',
    showTo: '出示给',
    choose: '选择要出示的机构',
    show: '出示动态码',
    hide: '停止出示',
    reveals: '此码将向该机构出示：',
    refresh: (s: number) => `${s} 秒后刷新`,
    qrAlt: '用于现场核验的动态二维码',
    explain: '动态码每 30 秒更新一次，2 分钟后失效，且只能被所选机构使用一次。',
    none: '暂无可出示的机构。',
  },
  en: {
    title: 'My network ID',
    netNumber: 'Network number',
    name: 'Name',
    validUntil: 'Valid until',
    showTo: 'Show to',
    choose: 'Choose who to show it to',
    show: 'Show the code',
    hide: 'Stop showing',
    reveals: 'This code shows that place:',
    refresh: (s: number) => `refreshes in ${s} s`,
    qrAlt: 'Dynamic QR code for an on-site check',
    explain:
      'The code changes every 30 seconds, expires after 2 minutes, and only the chosen place can use it, once.',
    none: 'No place to show it to yet.',
  },
};

/** The card: masked network number and name, and a dynamic QR code for an on-site check. */
export function CardScreen() {
  const t = useTexts(TEXT);
  const lang = useLang();
  const session = useSession();
  // The refresh timer outlives renders: it reads the newest contents (cached credentials) here.
  const latest = useRef(session);
  latest.current = session;
  const holder = session.holder!;
  const [platforms, setPlatforms] = useState<DirectoryEntry[]>([]);
  const [target, setTarget] = useState('');
  const [showing, setShowing] = useState(false);
  const [qr, setQr] = useState<{ src: string; claims: string[] }>();
  const [left, setLeft] = useState(ONSITE_REFRESH_SECONDS);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    listPlatforms(session.authority, session.contents).then((list) => {
      setPlatforms(list);
      setTarget((current) => current || list[0]?.client_id || '');
    }, setError);
  }, []);

  useEffect(() => {
    if (!showing || !target) return;
    let stopped = false;
    let recorded = false;
    const entry = platforms.find((p) => p.client_id === target);
    const make = async () => {
      try {
        const code = await onsiteCode(holder, latest.current.contents, target);
        const fresh = code.contents?.applicationCredentials[target];
        if (fresh) {
          await session.update((c) => ({
            ...c,
            applicationCredentials: { ...c.applicationCredentials, [target]: fresh },
          }));
        }
        if (!recorded && entry) {
          recorded = true;
          await session.record({
            kind: 'onsite',
            platform: { clientId: entry.client_id, kind: entry.kind, name: entry.name },
            requested: code.claims,
            disclosed: code.claims,
            mode: 'cert',
            result: 'approved',
          });
        }
        const src = await QRCode.toDataURL(code.presentation, {
          errorCorrectionLevel: 'L',
          margin: 4,
          scale: 4,
        });
        if (!stopped) {
          setQr({ src, claims: code.claims });
          setLeft(ONSITE_REFRESH_SECONDS);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    make();
    const refresh = setInterval(make, ONSITE_REFRESH_SECONDS * 1000);
    const tick = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => {
      stopped = true;
      clearInterval(refresh);
      clearInterval(tick);
      setQr(undefined);
    };
  }, [showing, target]);

  return (
    <Screen title={t.title}>
      <div class="card" data-testid="network-id-card">
        <dl>
          <dt>{t.netNumber}</dt>
          <dd data-testid="masked-net-number">{maskNetNumber(holder.netNumber)}</dd>
          <dt>{t.name}</dt>
          <dd>{String(holder.claims.name ?? '')}</dd>
          <dt>{t.validUntil}</dt>
          <dd>{holder.expiresAt ? formatTime(holder.expiresAt, lang) : '—'}</dd>
        </dl>
      </div>
      <h2>{t.showTo}</h2>
      {platforms.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <Field id="onsite-target" label={t.choose}>
          <select id="onsite-target" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
            {platforms.map((p) => (
              <option key={p.client_id} value={p.client_id}>
                {p.name[lang]}
              </option>
            ))}
          </select>
        </Field>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={!target} onClick={() => setShowing(!showing)}>
          {showing ? t.hide : t.show}
        </button>
      </div>
      <ErrorNote error={error} />
      {showing && qr ? (
        <div data-testid="onsite-code">
          <img class="qr" src={qr.src} alt={t.qrAlt} data-testid="onsite-qr" />
          <p aria-live="polite" class="muted">
            {t.refresh(left)}
          </p>
          <p>
            {t.reveals} {qr.claims.map((c) => claimLabel(c, lang)).join('、')}
          </p>
          <p class="muted">{t.explain}</p>
        </div>
      ) : null}
    </Screen>
  );
}
