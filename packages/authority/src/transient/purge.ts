import type { AuthorityContext } from '../context.ts';
import { sqlTransientStore } from '../sql/transient.ts';

/**
 * Deletes expired transient records (sign-ins, offers) every minute, so the minutes they were
 * promised are all they get. Runs in every process; the deletes are idempotent.
 */
export function startTransientPurge(ctx: AuthorityContext, intervalMs = 60_000): { stop(): Promise<void> } {
  const store = sqlTransientStore(ctx.db);
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = store.purgeExpired(new Date(ctx.now())).catch((error: Error) => {
      // The name only: a database error's message can quote a row.
      ctx.log(`transient purge: failed (${error.name})`);
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
