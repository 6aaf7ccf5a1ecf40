/** @jsxImportSource hono/jsx */

import { maskNetNumber } from '@netid/protocol';
import { walletLink } from '@netid/protocol/wallet-link';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Lang } from '../i18n.ts';
import { Layout as SharedLayout } from '../layout.tsx';
import type { Check, CheckStatus, Outcome } from './book.ts';
import { REFUSALS, TEXT } from './text.ts';

function Layout(props: { lang: Lang; switchHref: string; children: Child }) {
  const t = TEXT[props.lang];
  return (
    <SharedLayout
      lang={props.lang}
      title={t.title}
      brand="#8e1b1b"
      switchTo={t.switchTo}
      switchHref={props.switchHref}
      homeHref={`/?lang=${props.lang}`}
    >
      {props.children}
    </SharedLayout>
  );
}

export function HomePage(p: { lang: Lang }) {
  const t = TEXT[p.lang];
  return (
    <Layout lang={p.lang} switchHref={`/?lang=${p.lang === 'zh' ? 'en' : 'zh'}`}>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <form method="post" action={`/checks?lang=${p.lang}`}>
        <button id="start" type="submit">
          {t.start}
        </button>
      </form>
      <p>
        <a id="onsite" href={`/onsite?lang=${p.lang}`}>
          {t.onsite}
        </a>
      </p>
    </Layout>
  );
}

export interface CheckPageProps {
  lang: Lang;
  check: Check;
  status: CheckStatus;
  /** The QR code of the request, as inline SVG (pending requests only). */
  qrSvg?: string;
  reveal: boolean;
  /** The web wallet's URL, for the same-device link; without it, the bare openid4vp:// request. */
  walletUrl?: string;
}

/** One check: the QR code while the wallet has not answered, then the outcome. */
export function CheckPage(p: CheckPageProps) {
  const t = TEXT[p.lang];
  const here = `/checks/${p.check.id}`;
  return (
    <Layout lang={p.lang} switchHref={`${here}?lang=${p.lang === 'zh' ? 'en' : 'zh'}`}>
      {p.status === 'pending' && p.check.request ? (
        <Pending lang={p.lang} check={p.check} qrSvg={p.qrSvg ?? ''} walletUrl={p.walletUrl} />
      ) : p.status === 'expired' ? (
        <p id="status" data-status="expired">
          {t.expired}
        </p>
      ) : p.check.outcome ? (
        <Result lang={p.lang} outcome={p.check.outcome} here={here} reveal={p.reveal} />
      ) : null}
      {p.status !== 'pending' ? (
        <p>
          <a class="button" href={p.check.kind === 'onsite' ? `/onsite?lang=${p.lang}` : `/?lang=${p.lang}`}>
            {t.again}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function Pending(p: { lang: Lang; check: Check; qrSvg: string; walletUrl?: string }) {
  const t = TEXT[p.lang];
  const request = p.check.request!;
  // As on the authority's sign-in page: the web wallet takes the request in its URL's fragment,
  // which never reaches a server.
  const openWalletHref = p.walletUrl ? walletLink(p.walletUrl, request.uri) : request.uri;
  return (
    <>
      <section class="code" aria-labelledby="code-label">
        <h2 id="code-label">{t.code}</h2>
        <p id="verification-code" class="digits">
          {request.verificationCode}
        </p>
        <p>{t.codeHelp}</p>
      </section>
      <section class="qr" aria-label={t.scan}>
        <figure>
          <div id="qr" role="img" aria-label={t.scan}>
            {raw(p.qrSvg)}
          </div>
          <figcaption>{t.scan}</figcaption>
        </figure>
        <p>
          <a id="open-wallet" href={openWalletHref}>
            {t.open}
          </a>
        </p>
      </section>
      <p id="status" role="status" aria-live="polite" data-status="pending">
        {t.waiting}
      </p>
      <script>{raw(pollScript(`/checks/${p.check.id}/status`))}</script>
    </>
  );
}

function Result(p: { lang: Lang; outcome: Outcome; here: string; reveal: boolean }) {
  const t = TEXT[p.lang];
  const o = p.outcome;
  if (o.status === 'refused') {
    return (
      <div class="error" role="alert">
        <h1 id="status" data-status="refused">
          {t.refused}
        </h1>
        <p id="reason" data-reason={o.reason}>
          {REFUSALS[o.reason][p.lang]}
        </p>
        <p>
          <small id="detail">{o.detail}</small>
        </p>
      </div>
    );
  }
  const shown = o.netNumber && (p.reveal ? o.netNumber : masked(o.netNumber));
  return (
    <div class="ok">
      <h1 id="status" data-status="verified">
        {t.verified}
      </h1>
      <dl>
        <dt>{t.name}</dt>
        <dd id="name">{o.name ?? t.notDisclosed}</dd>
        <dt>{t.netNumber}</dt>
        <dd>
          <code id="net-number" data-masked={String(!p.reveal)}>
            {shown ?? t.notDisclosed}
          </code>{' '}
          {o.netNumber ? (
            <a id="reveal" href={`${p.here}?lang=${p.lang}${p.reveal ? '' : '&reveal=1'}`}>
              {p.reveal ? t.hide : t.reveal}
            </a>
          ) : null}
          <p>
            <small>{t.maskedHelp}</small>
          </p>
        </dd>
        <dt>{t.appId}</dt>
        <dd>
          <code id="app-id">{o.appId}</code>
        </dd>
      </dl>
    </div>
  );
}

/** The authority signed it, so it parses; should it not, nothing of it is shown rather than all. */
function masked(netNumber: string): string {
  try {
    return maskNetNumber(netNumber);
  } catch {
    return '**********';
  }
}

export function OnsitePage(p: { lang: Lang }) {
  const t = TEXT[p.lang];
  return (
    <Layout lang={p.lang} switchHref={`/onsite?lang=${p.lang === 'zh' ? 'en' : 'zh'}`}>
      <h1>{t.onsiteTitle}</h1>
      <p>{t.onsiteHelp}</p>
      <form method="post" action={`/onsite?lang=${p.lang}`}>
        <label for="presentation">{t.onsiteField}</label>
        <textarea id="presentation" name="presentation" required autocomplete="off" spellcheck={false} />
        <p>
          <button type="submit">{t.check}</button>
        </p>
      </form>
    </Layout>
  );
}

export function NotFoundPage(p: { lang: Lang }) {
  const t = TEXT[p.lang];
  return (
    <Layout lang={p.lang} switchHref={`/?lang=${p.lang === 'zh' ? 'en' : 'zh'}`}>
      <p id="status" data-status="unknown">
        {t.notFound}
      </p>
      <p>
        <a href={`/?lang=${p.lang}`}>{t.home}</a>
      </p>
    </Layout>
  );
}

/** Polls every second and reloads once the wallet has answered (or the request expired). */
function pollScript(statusUrl: string): string {
  return `(() => {
  async function poll() {
    try {
      const r = await fetch(${JSON.stringify(statusUrl)}, { cache: 'no-store' });
      const s = await r.json();
      if (s.status === 'pending') return setTimeout(poll, 1000);
      location.reload();
    } catch { setTimeout(poll, 2000); }
  }
  setTimeout(poll, 1000);
})();`;
}
