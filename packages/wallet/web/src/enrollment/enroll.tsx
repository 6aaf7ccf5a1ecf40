import { useState } from 'preact/hooks';
import { keepDeviceKey } from '../device/device-key.ts';
import { maskNetNumber } from '../holder/holder.ts';
import { formatTime, useLang, useTexts } from '../i18n.ts';
import { WalletError } from '../net/errors.ts';
import { ErrorNote, Field, NetidPasswordField, Screen, useAction } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import { type DocumentAnswer, Enrollment } from './api.ts';

/** The documents the authority accepts (its registry's types), as they are called on the card. */
const DOCUMENTS: [string, string, string][] = [
  ['resident_id', '居民身份证', 'Resident identity card'],
  ['hk_macao_residence_permit', '港澳居民居住证', 'Residence permit (Hong Kong/Macao residents)'],
  ['taiwan_residence_permit', '台湾居民居住证', 'Residence permit (Taiwan residents)'],
  ['hk_macao_travel_permit', '港澳居民来往内地通行证', 'Mainland travel permit (HK/Macao)'],
  ['taiwan_travel_permit', '台湾居民来往大陆通行证', 'Mainland travel permit (Taiwan)'],
  ['foreign_permanent_resident_id', '外国人永久居留身份证', 'Foreign permanent resident ID card'],
  ['prc_passport', '中华人民共和国普通护照', 'PRC passport'],
];

const TEXT = {
  zh: {
    title: '申领网号与网证',
    steps: ['证件', '手机号', '短信验证码', '网证口令', '领取网证'],
    stepLabel: '申领步骤',
    type: '证件类型',
    number: '证件号码',
    name: '姓名（与证件一致）',
    birthdate: '出生日期',
    next: '下一步',
    phone: '手机号码',
    phoneHint: '用于接收验证码；认证机构只保存其加密摘要。',
    sendCode: '发送验证码',
    code: '短信验证码（6位）',
    resend: '重新发送',
    password: '设置网证口令（8位数字）',
    passwordHint: '不能是连续或重复的数字，也不能是出生日期。在需要“网证+口令”的认证中使用。',
    passwordAgain: '再次输入网证口令',
    setPassword: '设置口令',
    txCode: '领取码（短信发送的6位数字）',
    txHint: '本设备将生成一把无法导出的设备密钥，网证与其绑定。',
    redeem: '领取网证',
    done: '网证已领取',
    doneIntro: '您的网证已保存在本设备的钱包中。',
    netNumber: '网号',
    holder: '姓名',
    expires: '有效期至',
    toCard: '查看我的网证',
  },
  en: {
    title: 'Enroll for a network number and certificate',
    steps: ['Document', 'Phone', 'SMS code', 'netid password', 'Certificate'],
    stepLabel: 'Enrollment steps',
    type: 'Document type',
    number: 'Document number',
    name: 'Name, as on the document',
    birthdate: 'Date of birth',
    next: 'Next',
    phone: 'Mobile phone number',
    phoneHint: 'For the codes; the authority keeps only a keyed digest of it.',
    sendCode: 'Send the code',
    code: 'SMS code (6 digits)',
    resend: 'Send again',
    password: 'Choose your netid password (8 digits)',
    passwordHint:
      'No runs or repeats, not your date of birth. Used when a platform asks for certificate + password.',
    passwordAgain: 'The netid password again',
    setPassword: 'Set the password',
    txCode: 'Wallet code (6 digits, texted to you)',
    txHint: 'This device makes a key that cannot be exported; the certificate is bound to it.',
    redeem: 'Get the certificate',
    done: 'Certificate received',
    doneIntro: 'Your network certificate is in this device’s wallet.',
    netNumber: 'Network number',
    holder: 'Name',
    expires: 'Valid until',
    toCard: 'Show my network ID',
  },
};

type Step = 'document' | 'phone' | 'otp' | 'password' | 'redeem' | 'done';
const ORDER: Step[] = ['document', 'phone', 'otp', 'password', 'redeem'];

/** Enrollment (DESIGN.md flow 1): document → phone → SMS code → netid password → certificate. */
export function EnrollScreen() {
  const t = useTexts(TEXT);
  const lang = useLang();
  const session = useSession();
  const [step, setStep] = useState<Step>('document');
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const [doc, setDoc] = useState<DocumentAnswer>({
    type: 'resident_id',
    number: '',
    name: '',
    birthdate: '',
  });
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [offer, setOffer] = useState('');
  const [txCode, setTxCode] = useState('');
  const action = useAction();

  const submit = (run: () => Promise<void>) => (e: Event) => {
    e.preventDefault();
    action.run(run);
  };
  const input = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement }) =>
    set(e.currentTarget.value);

  const steps = (
    <ol class="steps" aria-label={t.stepLabel}>
      {t.steps.map((label, i) => (
        <li key={label} aria-current={ORDER[i] === step ? 'step' : undefined}>
          {i + 1}. {label}
        </li>
      ))}
    </ol>
  );

  if (step === 'done' && session.holder) {
    const h = session.holder;
    return (
      <Screen title={t.done}>
        <p class="notice">{t.doneIntro}</p>
        <div class="card">
          <dl>
            <dt>{t.netNumber}</dt>
            <dd data-testid="masked-net-number">{maskNetNumber(h.netNumber)}</dd>
            <dt>{t.holder}</dt>
            <dd>{String(h.claims.name ?? '')}</dd>
            <dt>{t.expires}</dt>
            <dd>{h.expiresAt ? formatTime(h.expiresAt, lang) : '—'}</dd>
          </dl>
        </div>
        <button type="button" class="primary" onClick={() => session.navigate('/card')}>
          {t.toCard}
        </button>
      </Screen>
    );
  }

  return (
    <Screen title={t.title}>
      {steps}
      {step === 'document' && (
        <form
          onSubmit={submit(async () => {
            const e = enrollment ?? (await Enrollment.start(session.authority));
            setEnrollment(e);
            await e.document(doc);
            setStep('phone');
          })}
        >
          <Field id="doc-type" label={t.type}>
            <select
              id="doc-type"
              value={doc.type}
              onChange={(e) => setDoc({ ...doc, type: e.currentTarget.value })}
            >
              {DOCUMENTS.map(([id, zh, en]) => (
                <option key={id} value={id}>
                  {lang === 'zh' ? zh : en}
                </option>
              ))}
            </select>
          </Field>
          <Field id="doc-number" label={t.number}>
            <input
              id="doc-number"
              required
              autocomplete="off"
              value={doc.number}
              onInput={input((v) => setDoc({ ...doc, number: v }))}
            />
          </Field>
          <Field id="doc-name" label={t.name}>
            <input
              id="doc-name"
              required
              autocomplete="name"
              value={doc.name}
              onInput={input((v) => setDoc({ ...doc, name: v }))}
            />
          </Field>
          <Field id="doc-birthdate" label={t.birthdate}>
            <input
              id="doc-birthdate"
              type="date"
              required
              value={doc.birthdate}
              onInput={input((v) => setDoc({ ...doc, birthdate: v }))}
            />
          </Field>
          <ErrorNote error={action.error} />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.next}
          </button>
        </form>
      )}
      {step === 'phone' && (
        <form
          onSubmit={submit(async () => {
            await enrollment!.phone(phone);
            setStep('otp');
          })}
        >
          <Field id="phone" label={t.phone} hint={t.phoneHint}>
            <input
              id="phone"
              type="tel"
              inputMode="tel"
              autocomplete="tel"
              required
              value={phone}
              onInput={input(setPhone)}
              aria-describedby="phone-hint"
            />
          </Field>
          <ErrorNote error={action.error} />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.sendCode}
          </button>
        </form>
      )}
      {step === 'otp' && (
        <form
          onSubmit={submit(async () => {
            await enrollment!.otp(code.trim());
            setStep('password');
          })}
        >
          <Field id="otp" label={t.code}>
            <input
              id="otp"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={code}
              onInput={input(setCode)}
            />
          </Field>
          <ErrorNote error={action.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {t.next}
            </button>
            <button
              type="button"
              disabled={action.busy}
              onClick={() => action.run(async () => void (await enrollment!.phone(phone)))}
            >
              {t.resend}
            </button>
          </div>
        </form>
      )}
      {step === 'password' && (
        <form
          onSubmit={submit(async () => {
            if (password !== password2) throw new WalletError('passwords_differ');
            setOffer(await enrollment!.password(password));
            setStep('redeem');
          })}
        >
          <NetidPasswordField
            id="netid-password"
            label={t.password}
            hint={t.passwordHint}
            value={password}
            onValue={setPassword}
            fresh
          />
          <NetidPasswordField
            id="netid-password-again"
            label={t.passwordAgain}
            value={password2}
            onValue={setPassword2}
            fresh
          />
          <ErrorNote error={action.error} />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.setPassword}
          </button>
        </form>
      )}
      {step === 'redeem' && (
        <form
          onSubmit={submit(async () => {
            const { credential, issuer, key } = await enrollment!.redeem(offer, txCode.trim());
            await keepDeviceKey(key);
            await session.update(
              (contents) => ({
                ...contents,
                credentials: [
                  ...contents.credentials,
                  { credential, issuer, receivedAt: new Date().toISOString() },
                ],
                // Application credentials are bound to the previous key, if any: of no use now.
                applicationCredentials: {},
              }),
              key,
            );
            setStep('done');
          })}
        >
          <Field id="tx-code" label={t.txCode} hint={t.txHint}>
            <input
              id="tx-code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={txCode}
              onInput={input(setTxCode)}
              aria-describedby="tx-code-hint"
            />
          </Field>
          <ErrorNote error={action.error} />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.redeem}
          </button>
        </form>
      )}
    </Screen>
  );
}
