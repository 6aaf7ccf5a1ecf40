import { useState } from 'preact/hooks';
import { cancelNetNumber } from '../../../src/selfservice.ts';
import { maskNetNumber } from '../holder/holder.ts';
import { useTexts } from '../i18n.ts';
import { ErrorNote, NetidPasswordField, Screen, useAction } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import { useHolder } from './use-loaded.ts';

// What cancelling does at the authority (selfservice `cancel`): every live certificate revoked, the
// stored name, birth date, document type and password erased, the number kept only as a tombstone
// so it is never given to anyone else — and enrolling the same person again is refused at issuance.
const TEXT = {
  zh: {
    title: '注销网号',
    intro: (n: string) => `注销网号 ${n} 后将无法恢复。请先了解后果：`,
    consequences: [
      '您所有设备上的网证（包括本设备）都会被注销，平台将无法再凭这些网证核验您的身份。',
      '认证机构会删除为您保存的姓名、出生日期、证件类型和网证口令。',
      '该网号不会再分配给任何人，但也无法恢复：之后您也不能再申领网证。',
      '已领取的平台应用凭证（有效期不超过 24 小时）不会被撤销，到期即失效；本钱包会立即删除自己保存的应用凭证。',
      '您的认证记录只保存在本钱包中，不受影响。',
    ],
    password: '网证口令',
    passwordHint: '申领时设置的 8 位数字口令（不是钱包密码）',
    understand: (n: string) => `我已了解上述后果，确认注销网号 ${n}`,
    submit: '注销网号',
    busy: '正在注销…',
    done: '网号已注销',
    revoked: (k: number) => `认证机构已注销您的网号，并注销了 ${k} 个网证。`,
    afterwards: '本钱包已无法再登录或向平台证明您的身份。',
  },
  en: {
    title: 'Cancel network number',
    intro: (n: string) => `Cancelling network number ${n} cannot be undone. What it does:`,
    consequences: [
      'The certificate of every device of yours (this one included) is revoked: platforms can no longer verify you with them.',
      'The authority erases the name, date of birth, document type and netid password it holds for you.',
      'The number is never given to anyone else, but it cannot be restored either: you cannot be issued a network certificate again.',
      'Platform credentials already issued (valid for 24 hours at most) are not revoked; they lapse when they expire. This wallet deletes the ones it holds right away.',
      'Your history is kept only in this wallet and stays as it is.',
    ],
    password: 'netid password',
    passwordHint: 'The 8-digit password you chose when enrolling (not the wallet passphrase)',
    understand: (n: string) => `I understand: cancel network number ${n}`,
    submit: 'Cancel my network number',
    busy: 'Cancelling…',
    done: 'Network number cancelled',
    revoked: (k: number) =>
      `The authority cancelled your network number and revoked ${k} certificate${k === 1 ? '' : 's'}.`,
    afterwards: 'This wallet can no longer sign in or prove who you are.',
  },
};

export function CancelScreen() {
  const t = useTexts(TEXT);
  const session = useSession();
  const holder = useHolder();
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [revoked, setRevoked] = useState<number>();
  const action = useAction();
  const masked = maskNetNumber(session.holder?.netNumber ?? '');

  const submit = (e: Event) => {
    e.preventDefault();
    if (!understood) return;
    action.run(async () => {
      const count = await cancelNetNumber(holder(), password);
      setPassword('');
      setRevoked(count);
      // Short-lived credentials for platforms, bound to this device: useless now, and not to be used.
      await session.update((c) => ({ ...c, applicationCredentials: {} }));
    });
  };

  if (revoked !== undefined) {
    return (
      <Screen title={t.done}>
        <div class="notice" role="status" data-testid="cancelled">
          <p style={{ margin: 0 }} data-testid="revoked-count" data-count={revoked}>
            {t.revoked(revoked)}
          </p>
          <p style={{ margin: '8px 0 0' }}>{t.afterwards}</p>
        </div>
        <ErrorNote error={action.error} />
      </Screen>
    );
  }

  return (
    <Screen title={t.title}>
      <p>{t.intro(masked)}</p>
      <ul>
        {t.consequences.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <NetidPasswordField
          id="cancel-password"
          label={t.password}
          hint={t.passwordHint}
          value={password}
          onValue={setPassword}
        />
        <div class="field" style={{ flexDirection: 'row', alignItems: 'flex-start', gap: '8px' }}>
          <input
            id="cancel-understand"
            type="checkbox"
            style={{ width: 'auto', marginTop: '4px' }}
            required
            checked={understood}
            onChange={(e) => setUnderstood(e.currentTarget.checked)}
          />
          <label for="cancel-understand">{t.understand(masked)}</label>
        </div>
        <ErrorNote error={action.error} />
        <div class="actions">
          <button type="submit" class="danger" disabled={!understood || action.busy} aria-busy={action.busy}>
            {action.busy ? t.busy : t.submit}
          </button>
        </div>
      </form>
    </Screen>
  );
}
