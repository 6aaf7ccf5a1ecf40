/**
 * A separate process that owns a throwaway cluster, for cluster.test.ts to check what happens to the
 * server when its owner goes away. Prints `{"pid":…,"dir":…}`, then with argument `exit` exits without
 * calling stop(); otherwise waits to be killed.
 */
import { startThrowawayCluster } from './cluster.ts';

const cluster = await startThrowawayCluster({ fsync: false });
process.stdout.write(`${JSON.stringify({ pid: cluster.pid, dir: cluster.dir })}\n`);
if (process.argv[2] === 'exit') process.exit(0);
setInterval(() => {}, 60_000);
