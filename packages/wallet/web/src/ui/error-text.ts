import type { Lang } from '../i18n.ts';
import { type Explained, explain } from '../net/errors.ts';

type Words = (x: Record<string, unknown>) => string;
const both = (zh: Words, en: Words) => ({ zh, en });

const n = (v: unknown) => (typeof v === 'number' ? v : '?');
const when = (v: unknown, lang: Lang) =>
  typeof v === 'string' ? new Date(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : '';

/**
 * Every refusal, in words a person can act on: what happened and what to do next. Keyed by the
 * stable code from the wallet, the authority or the verifier — never by message text.
 */
const BY_CODE: Record<string, { zh: Words; en: Words }> = {
  // the wallet itself
  wrong_passphrase: both(
    () => '钱包密码不正确，请重试。',
    () => 'That wallet passphrase is not right. Try again.',
  ),
  passphrase_too_short: both(
    () => '钱包密码至少需要 10 个字符。',
    () => 'The wallet passphrase needs at least 10 characters.',
  ),
  passphrases_differ: both(
    () => '两次输入的钱包密码不一致。',
    () => 'The two passphrases differ.',
  ),
  passwords_differ: both(
    () => '两次输入的网证口令不一致。',
    () => 'The two passwords differ.',
  ),
  no_certificate: both(
    () => '此钱包还没有网证：请先申领。',
    () => 'This wallet has no network certificate yet: enroll first.',
  ),
  camera_unavailable: both(
    () => '无法使用摄像头：请允许摄像头权限，或粘贴链接。',
    () => 'The camera is not available: allow camera access, or paste the link instead.',
  ),
  not_a_request: both(
    () => '这不是网号认证请求的链接或二维码。',
    () => 'This is not a netid request link or QR code.',
  ),
  // verifier or authority, at sign-in or self-service
  wrong_password: both(
    (x) => `网证口令错误，还可尝试 ${n(x.attempts_left)} 次。`,
    (x) => `Wrong netid password — ${n(x.attempts_left)} attempts left.`,
  ),
  password_locked: both(
    (x) => `口令错误次数过多，已锁定至 ${when(x.locked_until, 'zh')}。`,
    (x) => `Too many wrong passwords: locked until ${when(x.locked_until, 'en')}.`,
  ),
  password_required: both(
    () => '此次认证需要输入网证口令。',
    () => 'This sign-in needs your netid password.',
  ),
  certificate_revoked: both(
    () => '本设备的网证已被注销。如设备仍归您所有，请重新申领网证。',
    () => "This device's network certificate has been revoked. If this device is still yours, enroll again.",
  ),
  certificate_unknown: both(
    () => '认证机构不认识本设备的网证：请重新申领。',
    () => "The authority does not know this device's certificate: enroll again.",
  ),
  person_inactive: both(
    () => '您的网号已注销。',
    () => 'Your network number has been cancelled.',
  ),
  platform_suspended: both(
    () => '该平台已被认证机构暂停，目前无法验证任何人。您的信息没有发送。',
    () => 'The authority has suspended this platform: it cannot verify anyone now. Nothing was sent.',
  ),
  request_expired: both(
    () => '该请求已过期或已被使用：请回到平台重新发起。',
    () => 'The request has expired or was already answered: start again at the platform.',
  ),
  ERR_REQUEST_EXPIRED: both(
    () => '该请求已过期或已被使用：请回到平台重新发起。',
    () => 'The request has expired or was already answered: start again at the platform.',
  ),
  ERR_REQUEST_UNTRUSTED: both(
    () => '无法确认该请求的来源，已拒绝。未发送任何信息。',
    () => 'The request could not be traced to a registered platform, so it was refused. Nothing was sent.',
  ),
  ERR_REQUEST_INVALID: both(
    () => '这不是有效的网号认证请求。',
    () => 'This is not a valid netid request.',
  ),
  already_cancelled: both(
    () => '该网号已经注销。',
    () => 'This network number is already cancelled.',
  ),
  certificate_not_found: both(
    () => '没有找到该网证：请刷新设备列表。',
    () => 'No such certificate of yours: reload the device list.',
  ),
  invalid_reason: both(
    () => '认证机构不接受该注销原因。',
    () => 'The authority does not take that reason.',
  ),
  no_password: both(
    () => '该网号没有设置网证口令，无法确认。',
    () => 'This network number has no netid password to confirm with.',
  ),
  // enrollment
  registry_mismatch: both(
    () => '证件信息与登记信息不符：请核对证件类型、号码、姓名和出生日期。',
    () => 'The document does not match the registry: check the type, number, name and date of birth.',
  ),
  otp_incorrect: both(
    (x) => `短信验证码不正确${typeof x.attemptsLeft === 'number' ? `，还可尝试 ${x.attemptsLeft} 次` : ''}。`,
    (x) =>
      `The SMS code is not right${typeof x.attemptsLeft === 'number' ? ` (${x.attemptsLeft} attempts left)` : ''}.`,
  ),
  otp_expired: both(
    () => '短信验证码已过期：请重新获取。',
    () => 'The SMS code expired: ask for a new one.',
  ),
  otp_locked: both(
    () => '验证码错误次数过多，本次申领已锁定：请重新开始。',
    () => 'Too many wrong codes: this enrollment is locked. Start again.',
  ),
  otp_throttled: both(
    (x) => `验证码刚刚已发送${typeof x.retryAfter === 'number' ? `，请 ${x.retryAfter} 秒后再试` : ''}。`,
    (x) =>
      `A code was sent a moment ago${typeof x.retryAfter === 'number' ? `: try again in ${x.retryAfter} s` : ''}.`,
  ),
  session_expired: both(
    () => '申领会话已过期：请重新开始。',
    () => 'The enrollment session expired: start again.',
  ),
  guardian_required: both(
    () => '未满14周岁需在监护人陪同下申领。',
    () => 'People under 14 enroll with the approval of a guardian.',
  ),
  invalid_phone: both(
    () => '请输入11位中国大陆手机号码。',
    () => 'Enter an 11-digit mainland mobile number (13–19…).',
  ),
  invalid_grant: both(
    () => '领取码不正确或已过期。',
    () => 'The wallet code is wrong or expired.',
  ),
  challenge_invalid: both(
    () => '认证机构的质询已过期：请重试。',
    () => "The authority's challenge expired: try again.",
  ),
};

const GENERIC = both(
  (x) => `操作未完成（${String(x.code)}）。${x.text ? String(x.text) : ''}`,
  (x) => `That did not work (${String(x.code)}). ${x.text ? String(x.text) : ''}`,
);

/** What the person reads for this failure. */
export function errorText(error: unknown, lang: Lang): string {
  return explainedText(explain(error), lang);
}

export function explainedText(e: Explained, lang: Lang): string {
  switch (e.source) {
    case 'network':
      return e.offline
        ? {
            zh: '您已离线：请连接网络后重试。',
            en: 'You are offline: connect to the internet and try again.',
          }[lang]
        : {
            zh: `无法连接 ${e.target || '服务器'}：请稍后重试。`,
            en: `Cannot reach ${e.target || 'the server'}: try again in a moment.`,
          }[lang];
    case 'wallet':
      return BY_CODE[e.code]?.[lang]({}) ?? e.code;
    case 'authority': {
      const p = e.problem;
      const known = BY_CODE[p.code];
      if (known) return known[lang]({ ...p.extra, code: p.code });
      if (p.code.startsWith('ERR_DOCUMENT_'))
        return { zh: `证件号码有误：${p.title ?? p.code}`, en: `Document number: ${p.title ?? p.code}` }[
          lang
        ];
      return GENERIC[lang]({ code: p.code, text: p.detail ?? p.title ?? '' });
    }
    case 'verifier': {
      const r = e.refusal;
      const known = BY_CODE[r.code];
      if (known) return known[lang]({ ...r.extra, code: r.code });
      return GENERIC[lang]({ code: r.code, text: r.detail ?? r.title });
    }
    case 'protocol': {
      const known = BY_CODE[e.code];
      return known ? known[lang]({}) : GENERIC[lang]({ code: e.code, text: '' });
    }
  }
}
