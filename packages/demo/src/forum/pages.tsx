/** @jsxImportSource hono/jsx */

import type { Child } from 'hono/jsx';
import type { Lang } from '../i18n.ts';
import { Layout as SharedLayout } from '../layout.tsx';
import type { ForumSession } from './session.ts';
import { MODE_LABELS, type SignInProblem, TEXT } from './text.ts';

function Layout(props: { lang: Lang; children: Child }) {
  const t = TEXT[props.lang];
  return (
    <SharedLayout
      lang={props.lang}
      title={t.title}
      brand="#1565c0"
      switchTo={t.switchTo}
      switchHref={`/?lang=${props.lang === 'zh' ? 'en' : 'zh'}`}
    >
      {props.children}
    </SharedLayout>
  );
}

export function HomePage(p: { lang: Lang }) {
  const t = TEXT[p.lang];
  return (
    <Layout lang={p.lang}>
      <h1>{t.tagline}</h1>
      <p>{t.intro}</p>
      <p>
        <a id="sign-in" class="button" href={`/login?lang=${p.lang}`}>
          {t.signIn}
        </a>
      </p>
    </Layout>
  );
}

export function SignedInPage(p: { lang: Lang; session: ForumSession }) {
  const t = TEXT[p.lang];
  const age = p.session.ageOver18;
  return (
    <Layout lang={p.lang}>
      <h1>{t.welcome}</h1>
      <dl>
        <dt>{t.appId}</dt>
        <dd>
          <code id="sub">{p.session.sub}</code>
          <p>{t.appIdHelp}</p>
        </dd>
        <dt>{t.age}</dt>
        <dd id="age-over-18" data-value={age === undefined ? 'absent' : String(age)}>
          {age === undefined ? t.notShared : age ? t.yes : t.no}
        </dd>
        <dt>{t.mode}</dt>
        <dd id="acr" data-value={p.session.acr ?? ''}>
          {(p.session.acr && MODE_LABELS[p.session.acr]?.[p.lang]) ?? p.session.acr ?? '—'}
        </dd>
      </dl>
      <form method="post" action="/logout">
        <button id="sign-out" type="submit">
          {t.signOut}
        </button>
      </form>
    </Layout>
  );
}

export function ErrorPage(p: { lang: Lang; problem: SignInProblem; detail?: string }) {
  const t = TEXT[p.lang];
  return (
    <Layout lang={p.lang}>
      <h1>{t.errorTitle}</h1>
      <div class="error" role="alert">
        <p id="problem" data-problem={p.problem}>
          {t.problems[p.problem]}
        </p>
        {p.detail ? (
          <p>
            <small id="detail">{p.detail}</small>
          </p>
        ) : null}
      </div>
      <p>
        <a class="button" href={`/login?lang=${p.lang}`}>
          {t.tryAgain}
        </a>{' '}
        <a href="/">{t.home}</a>
      </p>
    </Layout>
  );
}
