import { useEffect, useState } from 'preact/hooks';
import type { Holder } from '../holder/holder.ts';
import { WalletError } from '../net/errors.ts';
import { useAction } from '../ui/parts.tsx';
import { useSession } from '../ui/session.ts';

/** The session's holder; the routes only show self-service once there is one, but say so if not. */
export function useHolder(): () => Holder {
  const { holder } = useSession();
  return () => {
    if (!holder) throw new WalletError('no_certificate');
    return holder;
  };
}

/** Data read from the authority when the screen opens, with its busy state, failure and a reload. */
export function useLoaded<T>(load: () => Promise<T>) {
  const action = useAction();
  const [data, setData] = useState<T | undefined>();
  const reload = () => action.run(async () => setData(await load()));
  useEffect(() => {
    reload();
  }, []);
  return { data, setData, reload, busy: action.busy, error: action.error };
}
