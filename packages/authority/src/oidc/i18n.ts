import type { PlatformClaim } from '../platforms/platform.ts';

export type Lang = 'zh' | 'en';

/** `?lang=` wins (the page's switch), then Accept-Language, then Chinese. */
export function pickLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'zh' || query === 'en') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

export const TEXT = {
  zh: {
    title: '使用网络身份登录',
    government: '政府服务',
    internet: '互联网平台',
    asks: '请求验证您的网络身份',
    purpose: '用途',
    claims: '请求的信息',
    noClaims: '仅确认您是经过核验的真实用户（不提供个人信息）',
    mode: '认证方式',
    code: '核对码',
    codeHelp: '请确认钱包中显示的核对码与此处一致。',
    scan: '用网络身份钱包扫描二维码',
    open: '在本设备打开钱包',
    waiting: '等待钱包响应…',
    approved: '已确认，正在返回…',
    denied: '您已在钱包中拒绝，正在返回…',
    expired: '二维码已过期。',
    refresh: '获取新的二维码',
    switchTo: 'English',
  },
  en: {
    title: 'Sign in with netid',
    government: 'Government service',
    internet: 'Internet platform',
    asks: 'asks to verify your network identity',
    purpose: 'Purpose',
    claims: 'Information requested',
    noClaims: 'Only that you are a verified, real person (no personal data)',
    mode: 'Authentication',
    code: 'Verification code',
    codeHelp: 'Check that your wallet shows the same code.',
    scan: 'Scan the QR code with your netid wallet',
    open: 'Open the wallet on this device',
    waiting: 'Waiting for your wallet…',
    approved: 'Confirmed, returning…',
    denied: 'You declined in the wallet, returning…',
    expired: 'This QR code has expired.',
    refresh: 'Get a new QR code',
    switchTo: '中文',
  },
} as const;

export const CLAIM_LABELS: Record<PlatformClaim, Record<Lang, string>> = {
  name: { zh: '姓名', en: 'Name' },
  birthdate: { zh: '出生日期', en: 'Date of birth' },
  age_over_14: { zh: '是否年满14周岁', en: 'Whether you are over 14' },
  age_over_16: { zh: '是否年满16周岁', en: 'Whether you are over 16' },
  age_over_18: { zh: '是否年满18周岁', en: 'Whether you are over 18' },
  document_type: { zh: '证件类型', en: 'Document type' },
  enrollment_level: { zh: '核验等级', en: 'Enrollment level' },
  net_number: { zh: '网号', en: 'Network number' },
};

export const MODE_LABELS: Record<string, Record<Lang, string>> = {
  cert: { zh: '网证（设备密钥）', en: 'Network certificate (device key)' },
  'cert+password': { zh: '网证 + 口令', en: 'Network certificate + password' },
};
