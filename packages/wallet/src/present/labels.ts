// What each claim and mode is called where a wallet asks the person, in both languages: the CLI
// wallet prints the English, the web wallet (web/) shows either. Browser-safe.

export type Words = { zh: string; en: string };

export const CLAIM_WORDS: Record<string, Words> = {
  name: { zh: '姓名', en: 'your name' },
  birthdate: { zh: '出生日期', en: 'your date of birth' },
  age_over_14: { zh: '是否年满14周岁', en: 'whether you are over 14' },
  age_over_16: { zh: '是否年满16周岁', en: 'whether you are over 16' },
  age_over_18: { zh: '是否年满18周岁', en: 'whether you are over 18' },
  document_type: { zh: '证件类型', en: 'your document type' },
  enrollment_level: { zh: '认证等级', en: 'your enrollment level' },
  net_number: { zh: '网号', en: 'your network number' },
};

export const MODE_WORDS: Record<string, Words> = {
  cert: { zh: '本设备网证', en: 'this device’s certificate' },
  'cert+password': { zh: '本设备网证 + 网证口令', en: 'this device’s certificate and your netid password' },
};
