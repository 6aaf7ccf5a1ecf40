import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { CLAIM_WORDS, MODE_WORDS } from '../../src/present/labels.ts';

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

export const claimLabel = (claim: string, lang: Lang) => CLAIM_WORDS[claim]?.[lang] ?? claim;

export const modeLabel = (mode: string, lang: Lang) => MODE_WORDS[mode]?.[lang] ?? mode;

export const kindLabel = (kind: string, lang: Lang) =>
  kind === 'government'
    ? { zh: '政务服务', en: 'government service' }[lang]
    : { zh: '互联网平台', en: 'internet platform' }[lang];

export function formatTime(iso: string | number, lang: Lang): string {
  const date = typeof iso === 'number' ? new Date(iso * 1000) : new Date(iso);
  return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
