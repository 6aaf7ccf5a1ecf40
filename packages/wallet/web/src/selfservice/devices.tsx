import { useEffect, useRef, useState } from 'preact/hooks';
import { type Device, listDevices, revokeDevice } from '../../../src/selfservice.ts';
import { Facts } from '../history/facts.tsx';
import { formatTime, useLang, useTexts } from '../i18n.ts';
import { ErrorNote, NetidPasswordField, Screen, useAction } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import { Notice } from './notice.tsx';
import { useHolder, useLoaded } from './use-loaded.ts';
import { revocationLabel, shortId } from './words.ts';

type HolderReason = 'lost_device' | 'holder_request';

const TEXT = {
  zh: {
    title: '设备与网证',
    intro: '您在每台设备上申领的网证。设备丢失时，可在这里注销该设备的网证，平台将不再接受它。',
    loading: '正在向认证机构查询…',
    reload: '刷新',
    reloading: '正在刷新…',
    none: '认证机构没有您的任何网证记录。',
    certificate: '网证',
    thisDevice: '本设备',
    active: '有效',
    revoked: '已注销',
    expired: '已过期',
    issued: '签发时间',
    expires: '到期时间',
    state: '状态',
    revokedOn: (reason: string, at: string) => `已注销（${reason}）${at ? `，${at}` : ''}`,
    revoke: '注销此设备网证',
    confirmTitle: (id: string) => `注销网证 ${id}`,
    thisDeviceWarning:
      '这是本设备的网证。注销后，本钱包将无法再登录任何平台或向平台证明您的身份，直到您重新申领网证。',
    reason: '注销原因',
    reasons: { lost_device: '设备丢失', holder_request: '本人申请' } as Record<HolderReason, string>,
    password: '网证口令',
    passwordHint: '申领时设置的 8 位数字口令（不是钱包密码）',
    confirm: '确认注销',
    confirming: '正在注销…',
    cancel: '取消',
    done: (id: string) => `网证 ${id} 已注销，平台将不再接受它。`,
    doneThisDevice:
      '本设备的网证已注销。本钱包现在无法再登录或向平台证明您的身份；如需继续使用，请重新申领网证。',
    enroll: '重新申领网证',
  },
  en: {
    title: 'Devices & certificates',
    intro:
      'The network certificate you enrolled on each device. If a device is lost, revoke its certificate here: platforms will no longer accept it.',
    loading: 'Asking the authority…',
    reload: 'Refresh',
    reloading: 'Refreshing…',
    none: 'The authority has no certificate of yours.',
    certificate: 'Certificate',
    thisDevice: 'this device',
    active: 'active',
    revoked: 'revoked',
    expired: 'expired',
    issued: 'Issued',
    expires: 'Expires',
    state: 'State',
    revokedOn: (reason: string, at: string) => `revoked (${reason})${at ? `, ${at}` : ''}`,
    revoke: 'Revoke',
    confirmTitle: (id: string) => `Revoke certificate ${id}`,
    thisDeviceWarning:
      "This is this device's certificate. Once it is revoked, this wallet can no longer sign in anywhere or prove who you are until you enroll again.",
    reason: 'Reason',
    reasons: { lost_device: 'lost device', holder_request: 'my own request' } as Record<HolderReason, string>,
    password: 'netid password',
    passwordHint: 'The 8-digit password you chose when enrolling (not the wallet passphrase)',
    confirm: 'Revoke it',
    confirming: 'Revoking…',
    cancel: 'Cancel',
    done: (id: string) => `Certificate ${id} is revoked: platforms no longer accept it.`,
    doneThisDevice:
      "This device's certificate is revoked. This wallet can no longer sign in or prove who you are until you enroll again.",
    enroll: 'Enroll again',
  },
};

function RevokeForm(props: {
  device: Device;
  onRevoked: (reason: HolderReason) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useTexts(TEXT);
  const holder = useHolder();
  const [reason, setReason] = useState<HolderReason>('lost_device');
  const [password, setPassword] = useState('');
  const action = useAction();
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const d = props.device;
  const ids = { reason: `revoke-reason-${d.id}`, password: `revoke-password-${d.id}` };
  const submit = (e: Event) => {
    e.preventDefault();
    action.run(async () => {
      await revokeDevice(holder(), d.id, reason, password);
      await props.onRevoked(reason);
    });
  };
  return (
    <form onSubmit={submit} aria-label={t.confirmTitle(shortId(d.id))} data-testid="revoke-form">
      {d.thisDevice ? (
        <p class="error" data-testid="this-device-warning">
          {t.thisDeviceWarning}
        </p>
      ) : null}
      <div class="field">
        <label for={ids.reason}>{t.reason}</label>
        <select
          id={ids.reason}
          ref={first}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value as HolderReason)}
        >
          {(['lost_device', 'holder_request'] as const).map((r) => (
            <option key={r} value={r}>
              {t.reasons[r]}
            </option>
          ))}
        </select>
      </div>
      <NetidPasswordField
        id={ids.password}
        label={t.password}
        hint={t.passwordHint}
        value={password}
        onValue={setPassword}
      />
      <ErrorNote error={action.error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={action.busy} aria-busy={action.busy}>
          {action.busy ? t.confirming : t.confirm}
        </button>
        <button type="button" onClick={props.onCancel} disabled={action.busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

function DeviceItem(props: {
  device: Device;
  confirming: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  onRevoked: (reason: HolderReason) => Promise<void>;
}) {
  const t = useTexts(TEXT);
  const lang = useLang();
  const d = props.device;
  const expired = !d.revoked && Date.parse(d.expiresAt) < Date.now();
  const state = d.revoked
    ? t.revokedOn(revocationLabel(d.revocationReason, lang), d.revokedAt ? formatTime(d.revokedAt, lang) : '')
    : expired
      ? t.expired
      : t.active;
  const revokeButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  // A confirmation closed without revoking: back to the button that opened it, for the keyboard.
  useEffect(() => {
    if (wasConfirming.current && !props.confirming) revokeButton.current?.focus();
    wasConfirming.current = props.confirming;
  }, [props.confirming]);
  return (
    <li data-testid="device" data-device-id={d.id} data-this-device={d.thisDevice} data-revoked={d.revoked}>
      <strong>
        {t.certificate} <code title={d.id}>{shortId(d.id)}</code>
      </strong>
      {d.thisDevice ? <span class="tag">{t.thisDevice}</span> : null}
      <span class={`tag ${d.revoked || expired ? 'bad' : 'ok'}`}>
        {d.revoked ? t.revoked : expired ? t.expired : t.active}
      </span>
      <Facts
        rows={[
          [t.issued, formatTime(d.issuedAt, lang)],
          [t.expires, formatTime(d.expiresAt, lang)],
          [t.state, state],
        ]}
      />
      {d.revoked || expired ? null : props.confirming ? (
        <RevokeForm device={d} onRevoked={props.onRevoked} onCancel={props.onCancel} />
      ) : (
        <div class="actions">
          <button
            type="button"
            class="danger"
            ref={revokeButton}
            aria-label={`${t.revoke} ${shortId(d.id)}`}
            onClick={props.onConfirm}
          >
            {t.revoke}
          </button>
        </div>
      )}
    </li>
  );
}

export function DevicesScreen() {
  const t = useTexts(TEXT);
  const session = useSession();
  const holder = useHolder();
  const devices = useLoaded(() => listDevices(holder()));
  const [confirming, setConfirming] = useState<string>();
  const [notice, setNotice] = useState<{ text: string; thisDevice: boolean }>();
  const [saveError, setSaveError] = useState<unknown>();

  const revoked = (d: Device) => async (reason: HolderReason) => {
    setConfirming(undefined);
    if (d.thisDevice) {
      // This wallet can no longer authenticate to ask for the list again; and the platform
      // credentials it holds (bound to the same device key, never revoked) go too, so it really
      // cannot prove anything any more.
      devices.setData(
        devices.data?.map((x) =>
          x.id === d.id
            ? { ...x, revoked: true, revokedAt: new Date().toISOString(), revocationReason: reason }
            : x,
        ),
      );
      setNotice({ text: t.doneThisDevice, thisDevice: true });
      await session.update((c) => ({ ...c, applicationCredentials: {} })).catch(setSaveError);
    } else {
      setNotice({ text: t.done(shortId(d.id)), thisDevice: false });
      await devices.reload();
    }
  };

  const list = devices.data;
  return (
    <Screen title={t.title}>
      <p class="muted">{t.intro}</p>
      {notice ? (
        <Notice text={notice.text}>
          {notice.thisDevice ? (
            <div class="actions" style={{ marginBottom: 0 }}>
              <button type="button" class="primary" onClick={() => session.navigate('/enroll')}>
                {t.enroll}
              </button>
            </div>
          ) : null}
        </Notice>
      ) : null}
      <ErrorNote error={saveError} />
      <ErrorNote error={devices.error} />
      {list === undefined && !devices.error ? (
        <p aria-live="polite" aria-busy="true">
          {t.loading}
        </p>
      ) : null}
      {list?.length === 0 ? <p>{t.none}</p> : null}
      {list?.length ? (
        <ul class="list" data-testid="devices">
          {list.map((d) => (
            <DeviceItem
              key={d.id}
              device={d}
              confirming={confirming === d.id}
              onConfirm={() => setConfirming(d.id)}
              onCancel={() => setConfirming(undefined)}
              onRevoked={revoked(d)}
            />
          ))}
        </ul>
      ) : null}
      <div class="actions">
        <button type="button" onClick={devices.reload} disabled={devices.busy} aria-busy={devices.busy}>
          {devices.busy ? t.reloading : t.reload}
        </button>
      </div>
    </Screen>
  );
}
