import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { loadConfig, type WalletConfig } from './config.ts';
import { type DeviceKey, loadDeviceKey } from './device/device-key.ts';
import { type Holder, holderOf } from './holder/holder.ts';
import { initialLang, type Lang, LangContext } from './i18n.ts';
import { WalletError } from './net/errors.ts';
import { Layout } from './ui/layout.tsx';
import { Routes } from './ui/routes.tsx';
import { type Session, SessionContext } from './ui/session.ts';
import { StartupFailed, Unlock, Welcome } from './ui/unlock.tsx';
import type { StoredCredential, VaultContents } from './vault/contents.ts';
import { hasVault, type OpenVault, VAULT_CHANNEL } from './vault/vault.ts';

/** Locks itself after this long without a touch, key or pointer. */
const IDLE_LOCK_MS = 5 * 60_000;

function currentRoute(): string {
  const hash = location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

/** A request waiting for the person's answer, and how it came. */
export interface PendingRequest {
  link: string;
  /**
   * Arrived by the "open wallet" link in this browser (`#request=`), so the platform's page
   * continues here once answered; scanned or pasted (`#scanned=`), the page that showed the QR
   * code continues by itself on the other device.
   */
  sameDevice: boolean;
}

function takeDeepLink(): PendingRequest | undefined {
  const m = /^#(request|scanned)=(.+)$/.exec(location.hash);
  if (!m) return undefined;
  history.replaceState(null, '', `${location.pathname}#/consent`);
  return { link: decodeURIComponent(m[2]!), sameDevice: m[1] === 'request' };
}

const sameCredentials = (a: StoredCredential[], b: StoredCredential[]) =>
  a.length === b.length && a.every((c, i) => c.credential === b[i]!.credential);

async function holderFor(contents: VaultContents, key: DeviceKey | undefined): Promise<Holder | undefined> {
  if (!key) return undefined;
  try {
    return await holderOf(contents, key);
  } catch (e) {
    if (e instanceof WalletError) return undefined;
    throw e;
  }
}

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [config, setConfig] = useState<WalletConfig | undefined>();
  const [exists, setExists] = useState<boolean | undefined>();
  const [vault, setVault] = useState<OpenVault | undefined>();
  const [contents, setContents] = useState<VaultContents | undefined>();
  const [key, setKey] = useState<DeviceKey | undefined>();
  const [holder, setHolder] = useState<Holder | undefined>();
  const [route, setRoute] = useState(currentRoute);
  const [pending, setPending] = useState<PendingRequest | undefined>(takeDeepLink);
  const [startupError, setStartupError] = useState<unknown>();

  const setLang = (l: Lang) => {
    localStorage.setItem('netid-lang', l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    loadConfig().then(setConfig, setStartupError);
    hasVault().then(setExists, setStartupError);
    const onHash = () => {
      const link = takeDeepLink();
      if (link) setPending(link);
      // Leaving the consent screen by the menu sets the request aside, unanswered.
      else if (currentRoute() !== '/consent') setPending(undefined);
      setRoute(currentRoute());
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const lock = () => {
    setVault(undefined);
    setContents(undefined);
    setHolder(undefined);
  };
  useEffect(() => {
    if (!vault) return;
    let timer = setTimeout(lock, IDLE_LOCK_MS);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, IDLE_LOCK_MS);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) addEventListener(e, touch, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) removeEventListener(e, touch);
    };
  }, [vault]);

  const opened = async (v: OpenVault) => {
    const k = await loadDeviceKey();
    setKey(k);
    setHolder(await holderFor(v.contents, k));
    setContents(v.contents);
    setVault(v);
    setExists(true);
  };

  // The holder is decoded from the certificates (hashing every disclosure): only again when they change,
  // not for each history entry.
  const shown = useRef(contents);
  shown.current = contents;
  const credentialsChanged = (next: VaultContents) =>
    !sameCredentials(shown.current?.credentials ?? [], next.credentials);

  // Another tab of this wallet changed the vault: show what is stored now.
  useEffect(() => {
    if (!vault) return;
    const channel = new BroadcastChannel(VAULT_CHANNEL);
    channel.onmessage = () => {
      vault.reload().then(async (next) => {
        // A new certificate there may come with a new device key (enrolled again in that tab).
        if (credentialsChanged(next)) {
          const k = await loadDeviceKey();
          setKey(k);
          setHolder(await holderFor(next, k));
        }
        setContents(next);
      }, lock);
    };
    return () => channel.close();
  }, [vault]);

  const session = useMemo<Session | undefined>(() => {
    if (!vault || !contents || !config) return undefined;
    const update = async (change: (current: VaultContents) => VaultContents, nextKey?: DeviceKey) => {
      const next = await vault.update(change);
      if (nextKey) setKey(nextKey);
      if (nextKey || credentialsChanged(next)) setHolder(await holderFor(next, nextKey ?? key));
      setContents(next);
    };
    return {
      authority: config.authority,
      contents,
      key,
      holder,
      update,
      record: (entry) => {
        const full = { ...entry, id: crypto.randomUUID(), at: new Date().toISOString() };
        return update((c) => ({ ...c, history: [full, ...c.history] }));
      },
      navigate: (r) => {
        location.hash = r;
      },
      lock,
    };
  }, [vault, contents, key, holder, config]);

  const langValue = { lang, setLang };
  let body: JSX.Element;
  if (startupError) body = <StartupFailed error={startupError} />;
  else if (!config || exists === undefined) body = <p class="loading">…</p>;
  else if (!exists) body = <Welcome onOpened={opened} />;
  else if (!session) body = <Unlock onOpened={opened} />;
  else body = <Routes route={route} pending={pending} clearPending={() => setPending(undefined)} />;

  return (
    <LangContext.Provider value={langValue}>
      <SessionContext.Provider value={session}>
        <Layout unlocked={!!session} enrolled={!!holder}>
          {body}
        </Layout>
      </SessionContext.Provider>
    </LangContext.Provider>
  );
}
