import { useEffect, useMemo, useState } from 'preact/hooks';
import { Facts } from '../history/facts.tsx';
import { historyKindLabel, platformName } from '../history/words.ts';
import { claimLabel, formatTime, kindLabel, type Lang, useLang, useTexts } from '../i18n.ts';
import { ErrorNote, Screen, useAction } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';
import { type ConnectedPlatform, connectedPlatforms } from './connected.ts';
import { approvedPlatforms, type DirectoryState, platformState } from './directory.ts';
import { Notice } from './notice.tsx';

const TEXT = {
  zh: {
    title: '已连接平台',
    intro: '此列表只根据本钱包中的记录生成，认证机构并不知道您使用过哪些平台。',
    statusNote: '平台状态来自认证机构的公开平台目录：钱包读取整份目录，只有目录中没有的平台才单独查询。',
    empty: '您还没有向任何平台提供过信息。',
    checking: '正在查询状态…',
    state: {
      approved: '正常',
      suspended: '已暂停',
      unlisted: '不在平台目录中',
    } as Record<DirectoryState, string>,
    suspendedNote: '认证机构已暂停该平台，它目前无法核验任何人。',
    unlistedNote: '认证机构的平台目录中已没有该平台。',
    how: '方式',
    uses: '使用次数',
    usesCount: (n: number) => `${n} 次`,
    lastUsed: '最近使用',
    disclosed: '提供过的信息',
    nothing: '无',
    credential: '应用凭证',
    validUntil: (at: string) => `已缓存，有效至 ${at}`,
    expiredAt: (at: string) => `已缓存，已于 ${at} 过期`,
    forget: '删除应用凭证',
    forgetLabel: (name: string) => `删除 ${name} 的应用凭证`,
    forgetting: '正在删除…',
    forgotten: (name: string) => `已删除 ${name} 的应用凭证。下次向该平台直接核验时，钱包会重新领取。`,
  },
  en: {
    title: 'Connected platforms',
    intro:
      'This list is built from this wallet’s own records: the authority does not know which platforms you use.',
    statusNote:
      'A platform’s state comes from the authority’s public platform directory: the wallet reads the whole list, and asks by name only about a platform missing from it.',
    empty: 'You have not shared anything with a platform yet.',
    checking: 'Checking its state…',
    state: {
      approved: 'active',
      suspended: 'suspended',
      unlisted: 'not in the directory',
    } as Record<DirectoryState, string>,
    suspendedNote: 'The authority has suspended this platform: it cannot verify anyone now.',
    unlistedNote: 'The authority’s platform directory no longer lists this platform.',
    how: 'How',
    uses: 'Times used',
    usesCount: (n: number) => `${n}`,
    lastUsed: 'Last used',
    disclosed: 'Ever disclosed',
    nothing: 'nothing',
    credential: 'Platform credential',
    validUntil: (at: string) => `cached, valid until ${at}`,
    expiredAt: (at: string) => `cached, expired ${at}`,
    forget: 'Forget the credential',
    forgetLabel: (name: string) => `Forget the credential for ${name}`,
    forgetting: 'Forgetting…',
    forgotten: (name: string) =>
      `The credential for ${name} is forgotten. The wallet will get a new one the next time this platform verifies you directly.`,
  },
};

type Status = { state: DirectoryState } | { error: unknown };

const list = (items: string[], lang: Lang) => items.join(lang === 'zh' ? '、' : ', ');

function PlatformItem(props: { p: ConnectedPlatform; status: Status | undefined; onForgotten: () => void }) {
  const t = useTexts(TEXT);
  const lang = useLang();
  const session = useSession();
  const forget = useAction();
  const { p, status } = props;
  const name = p.platform ? platformName(p.platform, lang) : p.clientId;
  const state = status && 'state' in status ? status.state : undefined;
  const expiry = p.credential ? formatTime(p.credential.expiresAt, lang) : '';
  const expired = p.credential ? p.credential.expiresAt * 1000 <= Date.now() : false;

  const remove = () =>
    forget.run(async () => {
      await session.update((c) => {
        const { [p.clientId]: _gone, ...rest } = c.applicationCredentials;
        return { ...c, applicationCredentials: rest };
      });
      props.onForgotten();
    });

  return (
    <li data-testid="platform" data-client-id={p.clientId} data-state={state ?? ''}>
      <strong>{name}</strong>
      {p.platform ? <span class="tag">{kindLabel(p.platform.kind, lang)}</span> : null}
      {state ? (
        <span class={`tag ${state === 'approved' ? 'ok' : 'bad'}`} data-testid="platform-state">
          {t.state[state]}
        </span>
      ) : status ? null : (
        <span class="tag">{t.checking}</span>
      )}
      {state === 'suspended' ? <p class="error">{t.suspendedNote}</p> : null}
      {state === 'unlisted' ? <p class="muted">{t.unlistedNote}</p> : null}
      {status && 'error' in status ? <ErrorNote error={status.error} /> : null}
      <Facts
        rows={[
          [
            t.how,
            p.kinds.length
              ? list(
                  p.kinds.map((k) => historyKindLabel(k, lang)),
                  lang,
                )
              : undefined,
          ],
          [t.uses, p.uses ? t.usesCount(p.uses) : undefined],
          [
            t.lastUsed,
            p.lastUsed ? (
              <time key="last" dateTime={p.lastUsed}>
                {formatTime(p.lastUsed, lang)}
              </time>
            ) : undefined,
          ],
          [
            t.disclosed,
            p.uses
              ? p.disclosed.length
                ? list(
                    p.disclosed.map((c) => claimLabel(c, lang)),
                    lang,
                  )
                : t.nothing
              : undefined,
          ],
          [t.credential, p.credential ? (expired ? t.expiredAt(expiry) : t.validUntil(expiry)) : undefined],
        ]}
      />
      {p.credential ? (
        <>
          <ErrorNote error={forget.error} />
          <div class="actions">
            <button
              type="button"
              aria-label={t.forgetLabel(name)}
              onClick={remove}
              disabled={forget.busy}
              aria-busy={forget.busy}
            >
              {forget.busy ? t.forgetting : t.forget}
            </button>
          </div>
        </>
      ) : null}
    </li>
  );
}

export function PlatformsScreen() {
  const t = useTexts(TEXT);
  const lang = useLang();
  const { authority, contents } = useSession();
  const platforms = useMemo(() => connectedPlatforms(contents), [contents]);
  const [statuses, setStatuses] = useState<Record<string, Status>>({});
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    let open = true;
    const set = (id: string, s: Status) => {
      if (open) setStatuses((all) => ({ ...all, [id]: s }));
    };
    (async () => {
      // The public list first; only a platform missing from it is asked about by name.
      const approved = await approvedPlatforms(authority).then(
        (list) => new Set(list.map((p) => p.client_id)),
        () => undefined,
      );
      await Promise.all(
        platforms.map(async ({ clientId }) => {
          if (approved?.has(clientId)) return set(clientId, { state: 'approved' });
          try {
            set(clientId, { state: await platformState(authority, clientId) });
          } catch (error) {
            set(clientId, { error });
          }
        }),
      );
    })();
    return () => {
      open = false;
    };
  }, []);

  return (
    <Screen title={t.title}>
      <p class="muted">{t.intro}</p>
      {notice ? <Notice text={notice} /> : null}
      {platforms.length === 0 ? (
        <p data-testid="platforms-empty">{t.empty}</p>
      ) : (
        <>
          <ul class="list" data-testid="platforms">
            {platforms.map((p) => (
              <PlatformItem
                key={p.clientId}
                p={p}
                status={statuses[p.clientId]}
                onForgotten={() =>
                  setNotice(t.forgotten(p.platform ? platformName(p.platform, lang) : p.clientId))
                }
              />
            ))}
          </ul>
          <p class="hint">{t.statusNote}</p>
        </>
      )}
    </Screen>
  );
}
