/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Platform } from '../platforms/platform.ts';
import { CLAIM_LABELS, type Lang, MODE_LABELS, TEXT } from './i18n.ts';
import type { WalletRequest } from './wallet-request.ts';

export interface PageProps {
  lang: Lang;
  platform: Platform;
  request: WalletRequest;
  /** The QR code of `request.uri`, as inline SVG. */
  qrSvg: string;
  /** Where "open wallet" goes on this device: the web wallet, or the bare openid4vp:// URI. */
  openWalletHref: string;
  statusUrl: string;
  switchHref: string;
  /** The same page again: a fresh request once this one has expired. */
  refreshHref: string;
}

/**
 * The authorization page (DESIGN flow 2): who asks, for what and why, in which mode; a QR code for
 * a wallet on another device and a link for one on this device; the verification code both show;
 * and a small script that polls until the wallet answers, then continues the sign-in.
 */
export function AuthorizationPage(p: PageProps) {
  const t = TEXT[p.lang];
  return (
    <html lang={p.lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t.title}</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <main>
          <nav>
            <a href={p.switchHref} lang={p.lang === 'zh' ? 'en' : 'zh-CN'}>
              {t.switchTo}
            </a>
          </nav>
          <h1>{t.title}</h1>
          <section aria-labelledby="who">
            <h2 id="who">
              {p.platform.name[p.lang]} <span class="kind">{t[p.platform.kind]}</span>
            </h2>
            <p>{t.asks}</p>
            <dl>
              <dt>{t.purpose}</dt>
              <dd>{p.platform.purpose[p.lang]}</dd>
              <dt>{t.claims}</dt>
              <dd>
                {p.request.claims.length ? (
                  <ul id="claims">
                    {p.request.claims.map((c) => (
                      <li data-claim={c}>{CLAIM_LABELS[c][p.lang]}</li>
                    ))}
                  </ul>
                ) : (
                  t.noClaims
                )}
              </dd>
              <dt>{t.mode}</dt>
              <dd id="mode" data-mode={p.request.mode}>
                {MODE_LABELS[p.request.mode]?.[p.lang] ?? p.request.mode}
              </dd>
            </dl>
          </section>
          <section aria-labelledby="code-label" class="code">
            <h2 id="code-label">{t.code}</h2>
            <p id="verification-code" class="digits">
              {p.request.verificationCode}
            </p>
            <p>{t.codeHelp}</p>
          </section>
          <section aria-label={t.scan} class="qr">
            <figure>
              <div id="qr" role="img" aria-label={t.scan}>
                {raw(p.qrSvg)}
              </div>
              <figcaption>{t.scan}</figcaption>
            </figure>
            <p>
              <a id="open-wallet" href={p.openWalletHref}>
                {t.open}
              </a>
            </p>
          </section>
          <p id="status" role="status" aria-live="polite" data-status="pending">
            {t.waiting}
          </p>
          <p id="expired" hidden>
            {t.expired} <a href={p.refreshHref}>{t.refresh}</a>
          </p>
        </main>
        <script>{raw(pollScript(p.statusUrl, t))}</script>
      </body>
    </html>
  );
}

/** Polls the status every second; SSE would need a held connection per page for a minute. */
function pollScript(statusUrl: string, t: (typeof TEXT)[Lang]): string {
  const text = JSON.stringify({ approved: t.approved, denied: t.denied, expired: t.expired });
  return `(() => {
  const text = ${text};
  const status = document.getElementById('status');
  async function poll() {
    try {
      const r = await fetch(${JSON.stringify(statusUrl)}, { cache: 'no-store' });
      const s = await r.json();
      if (s.status === 'pending') return setTimeout(poll, 1000);
      status.dataset.status = s.status;
      status.textContent = text[s.status] || s.status;
      if (s.status === 'expired') { document.getElementById('expired').hidden = false; return; }
      if (s.returnTo) location.assign(s.returnTo);
    } catch { setTimeout(poll, 2000); }
  }
  setTimeout(poll, 1000);
})();`;
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
main{max-width:34rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh;box-sizing:border-box}
nav{text-align:right}h1{font-size:1.4rem}h2{font-size:1.1rem}
.kind{font-size:.8rem;background:#e6eef7;border-radius:.3rem;padding:.1rem .4rem;margin-left:.4rem}
dt{font-weight:600;margin-top:.6rem}dd{margin-left:0}
.code .digits{font-size:2.2rem;letter-spacing:.4rem;font-variant-numeric:tabular-nums;margin:.2rem 0}
.qr svg{width:16rem;height:16rem;max-width:100%}
a{color:#0b57d0}a:focus,button:focus{outline:3px solid #f5a623}
`;
