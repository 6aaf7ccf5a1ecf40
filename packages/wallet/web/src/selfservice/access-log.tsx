import { readAccessLog } from '../../../src/selfservice.ts';
import { Facts } from '../history/facts.tsx';
import { formatTime, useLang, useTexts } from '../i18n.ts';
import { ErrorNote, Screen } from '../ui/parts.tsx';
import { useHolder, useLoaded } from './use-loaded.ts';
import { actorLabel, lookupLabel } from './words.ts';

const TEXT = {
  zh: {
    title: '查询记录',
    intro:
      '这里列出认证机构工作人员每一次查阅您登记信息的记录，每次查阅都必须说明事由。认证机构不保存您登录或认证的任何记录。',
    loading: '正在向认证机构查询…',
    empty: '还没有工作人员查阅过您的登记信息。',
    when: '时间',
    who: '查阅人',
    why: '事由',
    detail: '说明',
    reload: '刷新',
    reloading: '正在刷新…',
  },
  en: {
    title: 'Access log',
    intro:
      'Every time an operator of the authority looked up your record, with the reason they had to give. The authority keeps no log of your sign-ins.',
    loading: 'Asking the authority…',
    empty: 'No operator has looked up your record.',
    when: 'When',
    who: 'Who',
    why: 'Reason',
    detail: 'Detail',
    reload: 'Refresh',
    reloading: 'Refreshing…',
  },
};

export function AccessLogScreen() {
  const t = useTexts(TEXT);
  const lang = useLang();
  const holder = useHolder();
  // Newest first, whatever order the authority lists them in.
  const log = useLoaded(async () =>
    (await readAccessLog(holder())).sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
  );
  const entries = log.data;
  return (
    <Screen title={t.title}>
      <p class="muted">{t.intro}</p>
      <ErrorNote error={log.error} />
      {entries === undefined && !log.error ? (
        <p aria-live="polite" aria-busy="true">
          {t.loading}
        </p>
      ) : null}
      {entries?.length === 0 ? <p data-testid="access-log-empty">{t.empty}</p> : null}
      {entries?.length ? (
        <ul class="list" data-testid="access-log">
          {entries.map((e, i) => (
            <li key={`${e.at}-${i}`} data-testid="access-log-entry">
              <Facts
                rows={[
                  [
                    t.when,
                    <time key="at" dateTime={e.at}>
                      {formatTime(e.at, lang)}
                    </time>,
                  ],
                  [t.who, actorLabel(e.actor, lang)],
                  [t.why, lookupLabel(e.reason, lang)],
                  [t.detail, e.detail],
                ]}
              />
            </li>
          ))}
        </ul>
      ) : null}
      <div class="actions">
        <button type="button" onClick={log.reload} disabled={log.busy} aria-busy={log.busy}>
          {log.busy ? t.reloading : t.reload}
        </button>
      </div>
    </Screen>
  );
}
