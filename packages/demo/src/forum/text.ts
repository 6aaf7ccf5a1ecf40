import type { Lang } from '../i18n.ts';

/** Why a sign-in did not complete, in words the person can act on. */
export type SignInProblem = 'access_denied' | 'expired' | 'unreachable' | 'unavailable' | 'failed';

export const TEXT: Record<
  Lang,
  {
    title: string;
    tagline: string;
    intro: string;
    signIn: string;
    welcome: string;
    appId: string;
    appIdHelp: string;
    age: string;
    yes: string;
    no: string;
    notShared: string;
    mode: string;
    signOut: string;
    switchTo: string;
    errorTitle: string;
    tryAgain: string;
    home: string;
    problems: Record<SignInProblem, string>;
  }
> = {
  zh: {
    title: '示例论坛',
    tagline: '接入网络身份认证的互联网平台示例',
    intro: '本论坛只需确认您是经过核验的真实用户、是否年满18周岁；不收集您的姓名、证件号码或手机号码。',
    signIn: '使用网络身份登录',
    welcome: '您已登录',
    appId: '应用标识（本论坛看到的您）',
    appIdHelp: '这是您在本论坛的专属标识：在其他平台各不相同，无法由此推出您的网号，也无法跨平台关联您。',
    age: '是否年满18周岁',
    yes: '是',
    no: '否',
    notShared: '未提供',
    mode: '认证方式',
    signOut: '退出登录',
    switchTo: 'English',
    errorTitle: '登录未完成',
    tryAgain: '重新登录',
    home: '返回首页',
    problems: {
      access_denied: '您在钱包中拒绝了本次登录，本论坛没有收到任何信息，您也没有登录。',
      expired: '本次登录已过期，或是在另一个浏览器中发起的。请重新登录。',
      unreachable: '暂时无法连接网络身份认证服务，请稍后再试。',
      unavailable: '所需的认证方式目前无法完成。',
      failed: '登录未能完成，请重新登录。',
    },
  },
  en: {
    title: 'Example Forum',
    tagline: 'A sample internet platform that signs people in with netid',
    intro:
      'This forum only needs to know that you are a verified, real person and whether you are over 18. It never collects your name, document number or phone number.',
    signIn: 'Sign in with netid',
    welcome: 'You are signed in',
    appId: 'Application identifier (you, as this forum sees you)',
    appIdHelp:
      'Your identifier here only: it differs at every other platform, reveals nothing of your network number, and cannot link you across platforms.',
    age: 'Over 18',
    yes: 'Yes',
    no: 'No',
    notShared: 'Not shared',
    mode: 'Authentication',
    signOut: 'Sign out',
    switchTo: '中文',
    errorTitle: 'Sign-in not completed',
    tryAgain: 'Sign in again',
    home: 'Back to the forum',
    problems: {
      access_denied: 'You declined in your wallet, so the forum received nothing and you are not signed in.',
      expired: 'This sign-in has expired, or was started in another browser. Please sign in again.',
      unreachable: 'The netid service cannot be reached right now. Please try again later.',
      unavailable: 'The required way of signing in cannot be completed right now.',
      failed: 'The sign-in could not be completed. Please sign in again.',
    },
  },
};

export const MODE_LABELS: Record<string, Record<Lang, string>> = {
  cert: { zh: '网证（设备密钥）', en: 'Network certificate (device key)' },
  'cert+password': { zh: '网证 + 口令', en: 'Network certificate + password' },
};
