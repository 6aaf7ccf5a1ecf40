import type { Lang } from '../i18n.ts';
import type { Refusal } from './book.ts';

export const TEXT = {
  zh: {
    title: '示例政务服务窗口',
    intro:
      '请办事人用网络身份钱包扫描二维码，出示姓名和网号。核验在本窗口离线完成，不向认证中心发送任何请求。',
    start: '开始核验',
    onsite: '现场核验（粘贴出示内容）',
    scan: '请用网络身份钱包扫描二维码',
    open: '在本设备打开钱包',
    code: '核对码',
    codeHelp: '请办事人确认钱包中显示的核对码与此处一致。',
    waiting: '等待钱包响应…',
    expired: '二维码已过期。',
    verified: '核验通过',
    name: '姓名',
    netNumber: '网号',
    appId: '应用标识（本窗口看到的办事人）',
    notDisclosed: '未提供',
    reveal: '显示完整网号',
    hide: '隐藏网号',
    maskedHelp: '网号默认部分隐藏，仅在办理业务确有需要时显示。',
    refused: '核验未通过',
    again: '新的核验',
    home: '返回',
    onsiteTitle: '现场核验',
    onsiteHelp: '粘贴办事人钱包动态二维码中的内容：为本窗口生成的应用凭证出示，两分钟内有效，只能使用一次。',
    onsiteField: '出示内容',
    check: '核验',
    notFound: '没有这次核验（已超过30分钟或地址有误）。',
    switchTo: 'English',
  },
  en: {
    title: 'Example Service Counter',
    intro:
      'The person scans the QR code with their netid wallet to show their name and network number. The check happens here, offline: nothing is sent to the authority.',
    start: 'Start a check',
    onsite: 'On-site check (paste a presentation)',
    scan: 'Scan the QR code with the netid wallet',
    open: 'Open the wallet on this device',
    code: 'Verification code',
    codeHelp: 'Ask the person to check that their wallet shows the same code.',
    waiting: 'Waiting for the wallet…',
    expired: 'This QR code has expired.',
    verified: 'Verified',
    name: 'Name',
    netNumber: 'Network number',
    appId: 'Application identifier (the person, as this counter sees them)',
    notDisclosed: 'Not disclosed',
    reveal: 'Reveal the network number',
    hide: 'Hide the network number',
    maskedHelp: 'The network number is partly hidden unless the case needs it.',
    refused: 'Not verified',
    again: 'New check',
    home: 'Back',
    onsiteTitle: 'On-site check',
    onsiteHelp:
      "Paste what the person's wallet shows in its dynamic QR code: a presentation of this counter's application credential, valid for two minutes and usable once.",
    onsiteField: 'Presentation',
    check: 'Check',
    notFound: 'There is no such check (it is older than 30 minutes, or the address is wrong).',
    switchTo: '中文',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export const REFUSALS: Record<Refusal, Record<Lang, string>> = {
  declined: {
    zh: '办事人在钱包中拒绝了本次核验，未出示任何信息。',
    en: 'The person declined in their wallet; nothing was shown.',
  },
  wrong_platform: {
    zh: '该凭证是为其他平台签发的，不能在本窗口使用。',
    en: 'This credential was issued for another platform and cannot be used at this counter.',
  },
  expired: {
    zh: '核验请求或凭证已过期，请重新核验。',
    en: 'The request or the credential has expired. Start a new check.',
  },
  replayed: {
    zh: '该出示内容已经使用过，请办事人刷新钱包中的二维码。',
    en: 'This presentation was already used. Ask the person to refresh the QR code in their wallet.',
  },
  not_application: {
    zh: '这不是本窗口的应用凭证（例如网证本身），请办事人出示为本窗口生成的凭证。',
    en: "This is not this counter's application credential (it may be the network certificate itself). Ask for one made for this counter.",
  },
  malformed: {
    zh: '无法识别出示的内容。',
    en: 'The presentation cannot be read.',
  },
  invalid: {
    zh: '凭证未通过验证。',
    en: 'The credential did not verify.',
  },
};
