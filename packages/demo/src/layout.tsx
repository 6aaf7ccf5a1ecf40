/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { htmlLang, type Lang } from './i18n.ts';
import { STYLE } from './style.ts';

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** The demo's accent colour: the two platforms should not look alike. */
  brand: string;
  /** The language switch: its label (in the other language) and where it goes. */
  switchTo: string;
  switchHref: string;
  /** When set, the title links home. */
  homeHref?: string;
  children: Child;
}

/** The page frame both demo platforms share. */
export function Layout(p: LayoutProps) {
  const other = p.lang === 'zh' ? 'en' : 'zh';
  return (
    <html lang={htmlLang(p.lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{p.title}</title>
        <style>{raw(`:root{--brand:${p.brand}}${STYLE}`)}</style>
      </head>
      <body>
        <header>
          {p.homeHref ? (
            <a href={p.homeHref}>
              <strong>{p.title}</strong>
            </a>
          ) : (
            <strong>{p.title}</strong>
          )}
          <a href={p.switchHref} lang={htmlLang(other)}>
            {p.switchTo}
          </a>
        </header>
        <main>{p.children}</main>
      </body>
    </html>
  );
}
