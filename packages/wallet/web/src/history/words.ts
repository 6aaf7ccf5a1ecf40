import type { Lang } from '../i18n.ts';
import type { HistoryEntry, HistoryKind, HistoryResult } from '../vault/contents.ts';

/** How the wallet answered: shared by the history and the connected-platforms screens. */
const KINDS: Record<HistoryKind, Record<Lang, string>> = {
  signin: { zh: '经认证机构登录', en: 'sign-in via the authority' },
  direct: { zh: '平台直接核验', en: 'direct verification' },
  onsite: { zh: '现场核验码', en: 'on-site code' },
};

const RESULTS: Record<HistoryResult, Record<Lang, string>> = {
  approved: { zh: '已同意', en: 'approved' },
  declined: { zh: '您已拒绝', en: 'declined by you' },
  refused: { zh: '未通过', en: 'refused' },
};

/**
 * Why a presentation was refused, in a few words (the full explanation was shown at the time).
 * An unknown code is shown as it came.
 */
const REASONS: Record<string, Record<Lang, string>> = {
  wrong_password: { zh: '网证口令错误', en: 'wrong netid password' },
  password_locked: { zh: '网证口令已锁定', en: 'netid password locked' },
  password_required: { zh: '需要网证口令', en: 'netid password required' },
  certificate_revoked: { zh: '本设备网证已注销', en: "this device's certificate was revoked" },
  certificate_unknown: { zh: '认证机构不认识本设备网证', en: 'certificate unknown to the authority' },
  person_inactive: { zh: '网号已注销', en: 'network number cancelled' },
  platform_suspended: { zh: '平台已被暂停', en: 'platform suspended' },
  platform_not_found: { zh: '平台未登记', en: 'platform not registered' },
  request_expired: { zh: '请求已过期', en: 'request expired' },
  ERR_REQUEST_EXPIRED: { zh: '请求已过期', en: 'request expired' },
  ERR_REQUEST_UNTRUSTED: { zh: '请求来源无法确认', en: 'request could not be traced to a platform' },
  ERR_REQUEST_INVALID: { zh: '请求无效', en: 'invalid request' },
  no_certificate: { zh: '钱包中没有网证', en: 'no certificate in the wallet' },
  not_bound_to_device: { zh: '网证不属于本设备', en: 'certificate not bound to this device' },
  wrong_platform: { zh: '平台与请求不符', en: 'the request names another platform' },
};

export const historyKindLabel = (kind: HistoryKind, lang: Lang) => KINDS[kind]?.[lang] ?? kind;
export const resultLabel = (result: HistoryResult, lang: Lang) => RESULTS[result]?.[lang] ?? result;
export const reasonLabel = (reason: string, lang: Lang) => REASONS[reason]?.[lang] ?? reason;

export const HISTORY_KINDS = Object.keys(KINDS) as HistoryKind[];
export const HISTORY_RESULTS = Object.keys(RESULTS) as HistoryResult[];

/** The platform's name in the UI language, or in the other one when that one is empty. */
export const platformName = (platform: HistoryEntry['platform'], lang: Lang) =>
  platform.name[lang] || platform.name[lang === 'zh' ? 'en' : 'zh'] || platform.clientId;
