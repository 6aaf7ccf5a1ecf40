import { DOCUMENT_TYPES, type DocumentType, isDocumentType } from '@netid/protocol';

/** How the documents are called on the card itself, for the prompt. */
export const DOCUMENT_LABELS: Record<DocumentType, string> = {
  resident_id: '居民身份证 resident identity card',
  hk_macao_residence_permit: '港澳居民居住证 residence permit for Hong Kong and Macao residents',
  taiwan_residence_permit: '台湾居民居住证 residence permit for Taiwan residents',
  hk_macao_travel_permit: '港澳居民来往内地通行证 mainland travel permit for Hong Kong and Macao residents',
  taiwan_travel_permit: '台湾居民来往大陆通行证 mainland travel permit for Taiwan residents',
  foreign_permanent_resident_id: '外国人永久居留身份证 foreign permanent resident ID card',
  prc_passport: '中华人民共和国普通护照 PRC passport',
};

export function documentTypeMenu(): string {
  return DOCUMENT_TYPES.map((t, i) => `  ${i + 1}. ${t.padEnd(30)} ${DOCUMENT_LABELS[t]}\n`).join('');
}

/** A menu number (1–7) or a type id; undefined for anything else. */
export function pickDocumentType(answer: string): DocumentType | undefined {
  const n = Number(answer);
  if (/^\d+$/.test(answer) && n >= 1 && n <= DOCUMENT_TYPES.length) return DOCUMENT_TYPES[n - 1];
  return isDocumentType(answer) ? answer : undefined;
}
