export type Lang = 'zh' | 'en';

/** `?lang=` wins (the page's switch), then Accept-Language, then Chinese — as on the authority's pages. */
export function pickLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'zh' || query === 'en') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

export const htmlLang = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en');
