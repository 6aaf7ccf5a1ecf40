// The load generator, on its own thread: the authority's event loop (the main thread) then runs only
// the authority, so its utilisation and its CPU profile are the server's alone.
import type { KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { signingKeyFrom } from '@netid/protocol';
import { type BenchDevice, type BenchPlatform, signIn } from './signin-client.ts';

export interface WorkerSetup {
  origin: string;
  platforms: { clientId: string; privateKey: KeyObject; redirectUri: string }[];
  devices: { privateKey: KeyObject; credential: string }[];
}

export type WorkerRequest =
  | { id: number; type: 'signin'; count: number }
  | { id: number; type: 'load'; concurrency: number; seconds: number }
  | { id: number; type: 'health'; concurrency: number; seconds: number; perOperation: number };

export interface LoadResult {
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  requests: number;
  /** Milliseconds per operation, sorted. */
  latencies: number[];
}

export interface ValidationSample {
  platform: number;
  device: number;
  idToken: string;
  nonce: string;
  requestObject: string;
}

const setup = workerData as WorkerSetup;
const platforms: BenchPlatform[] = setup.platforms.map((p) => ({
  clientId: p.clientId,
  redirectUri: p.redirectUri,
  key: signingKeyFrom(p.privateKey),
}));
const devices: BenchDevice[] = setup.devices.map((d) => ({
  credential: d.credential,
  key: signingKeyFrom(d.privateKey),
}));

/** A closed loop: `concurrency` users, each starting its next operation when the last one ends. */
async function closedLoop(
  concurrency: number,
  seconds: number,
  operation: (i: number) => Promise<number>,
): Promise<LoadResult> {
  const result: LoadResult = { completed: 0, errors: 0, elapsedMs: 0, requests: 0, latencies: [] };
  let next = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        const t = performance.now();
        try {
          // Read the total only after the await: the other users add to it meanwhile.
          const requests = await operation(i);
          result.requests += requests;
          result.latencies.push(performance.now() - t);
          result.completed++;
        } catch (error) {
          result.errors++;
          result.firstError ??= (error as Error).message;
        }
      }
    }),
  );
  result.elapsedMs = performance.now() - start;
  result.latencies.sort((a, b) => a - b);
  return result;
}

const pair = (i: number) => ({ platform: i % platforms.length, device: i % devices.length });

async function oneSignIn(i: number): Promise<number> {
  const { platform, device } = pair(i);
  return (await signIn(setup.origin, platforms[platform]!, devices[device]!)).requests;
}

async function healthRoundTrips(perOperation: number): Promise<number> {
  for (let k = 0; k < perOperation; k++) {
    const res = await fetch(`${setup.origin}/health`);
    if (res.status !== 200) throw new Error(`/health: HTTP ${res.status}`);
    await res.arrayBuffer();
  }
  return perOperation;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case 'signin': {
      const samples: ValidationSample[] = [];
      for (let i = 0; i < request.count; i++) {
        const { platform, device } = pair(i);
        const r = await signIn(setup.origin, platforms[platform]!, devices[device]!);
        samples.push({
          platform,
          device,
          idToken: r.idToken,
          nonce: r.nonce,
          requestObject: r.requestObject,
        });
      }
      return samples;
    }
    case 'load':
      return closedLoop(request.concurrency, request.seconds, oneSignIn);
    case 'health':
      return closedLoop(request.concurrency, request.seconds, () => healthRoundTrips(request.perOperation));
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: Error) => parentPort!.postMessage({ id: request.id, error: error.message }),
  );
});
