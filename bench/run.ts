// `npm run bench`: every figure is printed next to a baseline measured in the same run.
import { cpus } from 'node:os';
import { issuanceBench } from './issuance.ts';
import { signinBench } from './signin.ts';
import { statusListBench } from './status-list.ts';
import { verifyBench } from './verify.ts';

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`netid benchmarks — ${cpu}, ${cpus().length} cores, Node ${process.version}\n`);
for (const line of await verifyBench()) console.log(line);
console.log('');
for (const line of await statusListBench()) console.log(line);
console.log('');
for (const line of await issuanceBench()) console.log(line);
console.log('');
for (const line of await signinBench()) console.log(line);
