import { useMemo, useState } from 'preact/hooks';
import { claimLabel, formatTime, kindLabel, type Lang, modeLabel, useLang, useTexts } from '../i18n.ts';
import { Screen } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import type { HistoryEntry } from '../vault/contents.ts';
import { downloadText } from './download.ts';
import { historyCsv, historyJson } from './export.ts';
import { Facts } from './facts.tsx';
import { filterHistory, type HistoryFilter, NO_FILTER } from './filter.ts';
import {
  HISTORY_KINDS,
  HISTORY_RESULTS,
  historyKindLabel,
  platformName,
  reasonLabel,
  resultLabel,
} from './words.ts';

const TEXT = {
  zh: {
    title: '认证记录',
    intro:
      '您在本钱包中的每一次同意、拒绝和未通过的认证。这份记录只保存在本设备上，认证机构不保存任何认证记录。',
    filters: '筛选',
    search: '平台名称',
    searchHint: '输入平台名称的一部分',
    result: '结果',
    kind: '认证方式',
    all: '全部',
    shown: (n: number, total: number) => `显示 ${n} 条，共 ${total} 条`,
    empty: '还没有认证记录。您用网证登录平台或出示核验码后，记录会出现在这里。',
    noMatch: '没有符合筛选条件的记录。',
    clear: '清除筛选',
    time: '时间',
    how: '方式',
    disclosed: '提供的信息',
    requested: '平台请求的信息',
    nothing: '未提供任何信息',
    mode: '验证要素',
    reason: '原因',
    exportTitle: '导出',
    exportHint: '导出当前筛选出的记录，文件直接保存在本设备上。',
    exportJson: '导出 JSON',
    exportCsv: '导出 CSV',
  },
  en: {
    title: 'History',
    intro:
      'Every approval, decline and refusal made with this wallet. This record is kept only on this device: the authority keeps no record of your sign-ins.',
    filters: 'Filter',
    search: 'Platform name',
    searchHint: 'Type part of a platform’s name',
    result: 'Result',
    kind: 'How',
    all: 'All',
    shown: (n: number, total: number) => `Showing ${n} of ${total}`,
    empty: 'No history yet. Signing in to a platform or showing an on-site code adds an entry here.',
    noMatch: 'No entry matches the filter.',
    clear: 'Clear the filter',
    time: 'When',
    how: 'How',
    disclosed: 'Disclosed',
    requested: 'Requested',
    nothing: 'nothing',
    mode: 'Checked with',
    reason: 'Reason',
    exportTitle: 'Export',
    exportHint: 'Exports the entries the filter shows. The file is made on this device.',
    exportJson: 'Export JSON',
    exportCsv: 'Export CSV',
  },
};

// The two selects side by side: short labels, and the list starts higher on a phone.
const PAIR = { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: '0 12px' } as const;

const claimList = (claims: string[], lang: Lang) =>
  claims.map((c) => claimLabel(c, lang)).join(lang === 'zh' ? '、' : ', ');

function Entry(props: { entry: HistoryEntry }) {
  const t = useTexts(TEXT);
  const lang = useLang();
  const e = props.entry;
  const approved = e.result === 'approved';
  return (
    <li data-testid="history-entry" data-result={e.result} data-kind={e.kind}>
      <strong>{platformName(e.platform, lang)}</strong>
      <span class={`tag ${approved ? 'ok' : 'bad'}`}>{resultLabel(e.result, lang)}</span>
      <Facts
        rows={[
          [
            t.time,
            <time key="at" dateTime={e.at}>
              {formatTime(e.at, lang)}
            </time>,
          ],
          [t.how, `${historyKindLabel(e.kind, lang)} · ${kindLabel(e.platform.kind, lang)}`],
          [t.disclosed, e.disclosed.length ? claimList(e.disclosed, lang) : t.nothing],
          [t.requested, !approved && e.requested.length ? claimList(e.requested, lang) : undefined],
          [t.mode, e.mode ? modeLabel(e.mode, lang) : undefined],
          [t.reason, e.reason ? reasonLabel(e.reason, lang) : undefined],
        ]}
      />
    </li>
  );
}

export function HistoryScreen() {
  const t = useTexts(TEXT);
  const lang = useLang();
  const { contents } = useSession();
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const all = contents.history;
  const shown = useMemo(() => filterHistory(all, filter), [all, filter]);
  const filtered = filter.text !== '' || filter.result !== 'all' || filter.kind !== 'all';
  const set = (patch: Partial<HistoryFilter>) => setFilter({ ...filter, ...patch });

  if (all.length === 0) {
    return (
      <Screen title={t.title}>
        <p class="muted">{t.intro}</p>
        <p data-testid="history-empty">{t.empty}</p>
        <ul class="list" data-testid="history" />
      </Screen>
    );
  }

  return (
    <Screen title={t.title}>
      <p class="muted">{t.intro}</p>
      <search aria-label={t.filters}>
        <div class="field">
          <label for="history-search">{t.search}</label>
          <input
            id="history-search"
            type="search"
            aria-describedby="history-search-hint"
            value={filter.text}
            onInput={(e) => set({ text: e.currentTarget.value })}
          />
          <small id="history-search-hint" class="hint">
            {t.searchHint}
          </small>
        </div>
        <div style={PAIR}>
          <div class="field">
            <label for="history-result">{t.result}</label>
            <select
              id="history-result"
              value={filter.result}
              onChange={(e) => set({ result: e.currentTarget.value as HistoryFilter['result'] })}
            >
              <option value="all">{t.all}</option>
              {HISTORY_RESULTS.map((r) => (
                <option key={r} value={r}>
                  {resultLabel(r, lang)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="history-kind">{t.kind}</label>
            <select
              id="history-kind"
              value={filter.kind}
              onChange={(e) => set({ kind: e.currentTarget.value as HistoryFilter['kind'] })}
            >
              <option value="all">{t.all}</option>
              {HISTORY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {historyKindLabel(k, lang)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {filtered ? (
          <button type="button" class="link" onClick={() => setFilter(NO_FILTER)}>
            {t.clear}
          </button>
        ) : null}
      </search>
      <p class="muted" aria-live="polite" data-testid="history-count">
        {t.shown(shown.length, all.length)}
      </p>
      {shown.length === 0 ? <p>{t.noMatch}</p> : null}
      <ul class="list" data-testid="history">
        {shown.map((e) => (
          <Entry key={e.id} entry={e} />
        ))}
      </ul>
      <h2>{t.exportTitle}</h2>
      <p class="hint">{t.exportHint}</p>
      <div class="actions">
        <button
          type="button"
          disabled={shown.length === 0}
          onClick={() => downloadText('netid-history.json', historyJson(shown), 'application/json')}
        >
          {t.exportJson}
        </button>
        <button
          type="button"
          disabled={shown.length === 0}
          onClick={() => downloadText('netid-history.csv', historyCsv(shown), 'text/csv;charset=utf-8')}
        >
          {t.exportCsv}
        </button>
      </div>
    </Screen>
  );
}
