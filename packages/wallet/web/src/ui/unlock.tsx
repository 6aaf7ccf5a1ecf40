import { useState } from 'preact/hooks';
import { useTexts } from '../i18n.ts';
import { WalletError } from '../net/errors.ts';
import { emptyContents } from '../vault/contents.ts';
import { createVault, MIN_PASSPHRASE_LENGTH, type OpenVault, unlockVault } from '../vault/vault.ts';
import { ErrorNote, Field, Screen, useAction } from './parts.tsx';

const TEXT = {
  zh: {
    welcome: '欢迎使用网号钱包',
    intro:
      '网号钱包在本浏览器中保存您的网证。设备密钥无法被导出；网证与认证记录使用钱包密码加密保存，只存在于本设备。',
    choose: `设置钱包密码（至少 ${MIN_PASSPHRASE_LENGTH} 个字符，不要使用网证口令）`,
    again: '再次输入钱包密码',
    create: '创建钱包',
    unlock: '解锁钱包',
    passphrase: '钱包密码',
    open: '解锁',
    unlockIntro: '输入钱包密码以使用本设备上的网证。',
    failed: '钱包无法启动',
  },
  en: {
    welcome: 'Welcome to the netid wallet',
    intro:
      'The netid wallet keeps your network certificate in this browser. Its device key cannot be exported; the certificate and your history are encrypted under the wallet passphrase and stay on this device.',
    choose: `Choose a wallet passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters, not your netid password)`,
    again: 'The wallet passphrase again',
    create: 'Create the wallet',
    unlock: 'Unlock the wallet',
    passphrase: 'Wallet passphrase',
    open: 'Unlock',
    unlockIntro: 'Enter the wallet passphrase to use the certificate on this device.',
    failed: 'The wallet cannot start',
  },
};

export function Welcome(props: { onOpened: (v: OpenVault) => Promise<void> }) {
  const t = useTexts(TEXT);
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => {
      if (first !== second) throw new WalletError('passphrases_differ');
      await props.onOpened(await createVault(first, emptyContents()));
    });
  };
  return (
    <Screen title={t.welcome}>
      <p>{t.intro}</p>
      <form onSubmit={submit}>
        <Field id="new-passphrase" label={t.choose}>
          <input
            id="new-passphrase"
            type="password"
            autocomplete="new-password"
            required
            minLength={MIN_PASSPHRASE_LENGTH}
            value={first}
            onInput={(e) => setFirst(e.currentTarget.value)}
          />
        </Field>
        <Field id="new-passphrase-again" label={t.again}>
          <input
            id="new-passphrase-again"
            type="password"
            autocomplete="new-password"
            required
            value={second}
            onInput={(e) => setSecond(e.currentTarget.value)}
          />
        </Field>
        <ErrorNote error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          {t.create}
        </button>
      </form>
    </Screen>
  );
}

export function Unlock(props: { onOpened: (v: OpenVault) => Promise<void> }) {
  const t = useTexts(TEXT);
  const [passphrase, setPassphrase] = useState('');
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => props.onOpened(await unlockVault(passphrase)));
  };
  return (
    <Screen title={t.unlock}>
      <p>{t.unlockIntro}</p>
      <form onSubmit={submit}>
        <Field id="passphrase" label={t.passphrase}>
          <input
            id="passphrase"
            type="password"
            autocomplete="current-password"
            required
            value={passphrase}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
          />
        </Field>
        <ErrorNote error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          {t.open}
        </button>
      </form>
    </Screen>
  );
}

export function StartupFailed(props: { error: unknown }) {
  const t = useTexts(TEXT);
  return (
    <Screen title={t.failed}>
      <ErrorNote error={props.error} />
    </Screen>
  );
}
