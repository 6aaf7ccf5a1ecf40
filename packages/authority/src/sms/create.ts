import type { AuthorityContext } from '../context.ts';
import { sqlSmsOutbox } from '../sql/enrollment.ts';
import { devSmsSender } from './dev.ts';
import type { SmsSender } from './sender.ts';
import { webhookSmsSender } from './webhook.ts';

/** The adapter the configuration names (`NETID_SMS`). */
export function createSmsSender(ctx: Pick<AuthorityContext, 'config' | 'db' | 'now' | 'log'>): SmsSender {
  const sms = ctx.config.sms;
  if (sms.kind === 'webhook') return webhookSmsSender(sms.url);
  return devSmsSender(sqlSmsOutbox(ctx.db), ctx.now, ctx.log);
}
