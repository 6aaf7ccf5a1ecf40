import type { Lang } from '../i18n.ts';

/** Every reason a certificate can be revoked (the authority's fixed set, DESIGN.md guarantee 5). */
const REVOCATION: Record<string, Record<Lang, string>> = {
  lost_device: { zh: '设备丢失', en: 'lost device' },
  holder_request: { zh: '本人申请', en: 'my own request' },
  reissued: { zh: '已重新签发', en: 'reissued' },
  document_invalidated: { zh: '证件已失效', en: 'identity document invalidated' },
  deceased: { zh: '持证人已身故', en: 'holder deceased' },
  enrollment_fraud: { zh: '申领存在欺诈', en: 'fraudulent enrollment' },
};

export const revocationLabel = (reason: string | undefined, lang: Lang) =>
  reason ? (REVOCATION[reason]?.[lang] ?? reason) : { zh: '未说明原因', en: 'no reason given' }[lang];

/** Why an operator may read a record (the authority's fixed set, DESIGN.md guarantee 6). */
const LOOKUP: Record<string, Record<Lang, string>> = {
  holder_support_request: { zh: '应您本人的求助', en: 'your own support request' },
  court_order: { zh: '法院命令', en: 'court order' },
  fraud_investigation: { zh: '欺诈调查', en: 'fraud investigation' },
  document_invalidation: { zh: '证件失效处理', en: 'identity document invalidation' },
  deceased_report: { zh: '身故报告', en: 'report of death' },
};

export const lookupLabel = (reason: string, lang: Lang) => LOOKUP[reason]?.[lang] ?? reason;

const ACTORS: Record<string, Record<Lang, string>> = {
  operator: { zh: '认证机构工作人员', en: 'an operator of the authority' },
};

export const actorLabel = (actor: string, lang: Lang) => ACTORS[actor]?.[lang] ?? actor;

/** Certificate ids are 22 random characters: the first 8 tell one device from another. */
export const shortId = (id: string) => (id.length > 10 ? `${id.slice(0, 8)}…` : id);
