import type { PendingRequest } from '../app.tsx';
import { EnrollScreen } from '../enrollment/enroll.tsx';
import { HistoryScreen } from '../history/history.tsx';
import { CardScreen } from '../holder/card.tsx';
import { ConsentScreen } from '../present/consent.tsx';
import { ScanScreen } from '../present/scan.tsx';
import { AccessLogScreen } from '../selfservice/access-log.tsx';
import { CancelScreen } from '../selfservice/cancel.tsx';
import { DevicesScreen } from '../selfservice/devices.tsx';
import { PlatformsScreen } from '../selfservice/platforms.tsx';
import { useSession } from './session.ts';

/** Hash routes (`#/card`): the wallet is static files, and a deep link's request rides in the hash. */
export function Routes(props: {
  route: string;
  pending: PendingRequest | undefined;
  clearPending: () => void;
}) {
  const session = useSession();
  if (!session.holder) {
    // Not enrolled yet: enrolling is all there is to do (a pending request waits for it).
    if (props.route !== '/enroll') queueMicrotask(() => session.navigate('/enroll'));
    return <EnrollScreen />;
  }
  if (props.pending) {
    // Keyed by the link: a new request starts a new consent, never the last one's outcome.
    return <ConsentScreen key={props.pending.link} request={props.pending} done={props.clearPending} />;
  }
  switch (props.route) {
    case '/enroll':
      return <EnrollScreen />;
    case '/scan':
      return <ScanScreen />;
    case '/history':
      return <HistoryScreen />;
    case '/platforms':
      return <PlatformsScreen />;
    case '/devices':
      return <DevicesScreen />;
    case '/access-log':
      return <AccessLogScreen />;
    case '/cancel':
      return <CancelScreen />;
    default:
      return <CardScreen />;
  }
}
