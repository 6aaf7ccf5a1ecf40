import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh' | 'en';

/** Every screen keeps its words beside it, in both languages: `t({ zh: …, en: … })`. */
export type Texts<T> = Record<Lang, T>;

export function initialLang(): Lang {
  const saved = localStorage.getItem('netid-lang');
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({
  lang: 'zh',
  setLang: () => {},
});

export function useLang(): Lang {
  return useContext(LangContext).lang;
}

export function useTexts<T>(texts: Texts<T>): T {
  return texts[useLang()];
}

const CLAIMS: Record<string, { zh: string; en: string }> = {
  name: { zh: '姓名', en: 'name' },
  birthdate: { zh: '出生日期', en: 'date of birth' },
  age_over_14: { zh: '是否年满14周岁', en: 'whether you are over 14' },
  age_over_16: { zh: '是否年满16周岁', en: 'whether you are over 16' },
  age_over_18: { zh: '是否年满18周岁', en: 'whether you are over 18' },
  document_type: { zh: '证件类型', en: 'document type' },
  enrollment_level: { zh: '认证等级', en: 'enrollment level' },
  net_number: { zh: '网号', en: 'network number' },
};

export const claimLabel = (claim: string, lang: Lang) => CLAIMS[claim]?.[lang] ?? claim;

const MODES: Record<string, { zh: string; en: string }> = {
  cert: { zh: '本设备网证', en: 'this device’s certificate' },
  'cert+password': { zh: '本设备网证 + 网证口令', en: 'this device’s certificate and your netid password' },
};

export const modeLabel = (mode: string, lang: Lang) => MODES[mode]?.[lang] ?? mode;

export const kindLabel = (kind: string, lang: Lang) =>
  kind === 'government'
    ? { zh: '政务服务', en: 'government service' }[lang]
    : { zh: '互联网平台', en: 'internet platform' }[lang];

export function formatTime(iso: string | number, lang: Lang): string {
  const date = typeof iso === 'number' ? new Date(iso * 1000) : new Date(iso);
  return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
