import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { LangContext, useTexts } from '../i18n.ts';
import { SessionContext } from './session.ts';

const TEXT = {
  zh: {
    app: '网号钱包',
    nav: '钱包导航',
    card: '我的网证',
    scan: '扫码认证',
    history: '认证记录',
    platforms: '已连接平台',
    devices: '设备与网证',
    accessLog: '查询记录',
    cancel: '注销网号',
    lock: '锁定',
    switchTo: 'English',
    switchLabel: 'Switch to English',
  },
  en: {
    app: 'netid wallet',
    nav: 'Wallet',
    card: 'My network ID',
    scan: 'Scan a request',
    history: 'History',
    platforms: 'Connected platforms',
    devices: 'Devices & certificates',
    accessLog: 'Access log',
    cancel: 'Cancel network number',
    lock: 'Lock',
    switchTo: '中文',
    switchLabel: '切换到中文',
  },
};

export function Layout(props: { unlocked: boolean; enrolled: boolean; children: ComponentChildren }) {
  const t = useTexts(TEXT);
  const { lang, setLang } = useContext(LangContext);
  const session = useContext(SessionContext);
  const links: [string, string][] = props.enrolled
    ? [
        ['#/card', t.card],
        ['#/scan', t.scan],
        ['#/history', t.history],
        ['#/platforms', t.platforms],
        ['#/devices', t.devices],
        ['#/access-log', t.accessLog],
        ['#/cancel', t.cancel],
      ]
    : [];
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/card">
          {t.app}
        </a>
        <span class="top-actions">
          <button
            type="button"
            class="link"
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
            aria-label={t.switchLabel}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {t.switchTo}
          </button>
          {props.unlocked ? (
            <button type="button" class="link" onClick={() => session?.lock()}>
              {t.lock}
            </button>
          ) : null}
        </span>
      </header>
      {links.length ? (
        <nav aria-label={t.nav} class="nav">
          {links.map(([href, label]) => (
            <a key={href} href={href} aria-current={location.hash === href ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
      ) : null}
      <main>{props.children}</main>
    </div>
  );
}
