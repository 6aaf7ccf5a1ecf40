import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { SigningKey } from '@netid/protocol';
import { type Counter, counterResponseUri, createCounter } from './counter/app.tsx';
import { COUNTER_CLAIMS } from './counter/check.ts';
import { createForum, forumPostLogoutUri, forumRedirectUri } from './forum/app.tsx';
import { loadOrCreateSigningKey } from './keys.ts';
import { type Listening, listen } from './listen.ts';
import {
  demoClientId,
  ensureRegistered,
  type PlatformRegistration,
  type RegistrationOutcome,
} from './register.ts';

export { type Counter, type CounterOptions, counterResponseUri, createCounter } from './counter/app.tsx';
export { createForum, type ForumOptions, forumPostLogoutUri, forumRedirectUri } from './forum/app.tsx';
export { loadOrCreateSigningKey } from './keys.ts';
export {
  demoClientId,
  ensureRegistered,
  type PlatformRegistration,
  type RegistrationOutcome,
} from './register.ts';

export interface DemoOptions {
  /** The authority's public URL (its issuer identifier). */
  authorityUrl: string;
  /** 0 lets the OS choose. */
  forumPort: number;
  counterPort: number;
  /** The demo platforms' keys go to `<dataDir>/demo/`. */
  dataDir: string;
  /** Bearer token of the authority's operator API, to register the two platforms. */
  operatorToken: string;
  /** The web wallet's URL: the counter's same-device link opens it (`netid authority --demo`). */
  walletUrl?: string;
  /** For the registration calls and the counter's verifier (tests count its requests). */
  fetch?: typeof fetch;
}

export interface DemoPlatform {
  url: string;
  clientId: string;
  /** What the start did at the authority's register. */
  registration: RegistrationOutcome;
}

export interface Demo {
  forum: DemoPlatform;
  counter: DemoPlatform & { verifier: Counter['verifier'] };
  close(): Promise<void>;
}

const jwksOf = (key: SigningKey) => ({ keys: [key.publicJwk as unknown as Record<string, unknown>] });

function forumRegistration(clientId: string, origin: string, key: SigningKey): PlatformRegistration {
  return {
    client_id: clientId,
    kind: 'internet',
    name: { zh: '示例论坛', en: 'Example Forum' },
    purpose: {
      zh: '确认您是年满18周岁的真实用户，为您开设论坛账号',
      en: 'Confirm you are a real person over 18 and give you a forum account',
    },
    redirect_uris: [forumRedirectUri(origin)],
    post_logout_redirect_uris: [forumPostLogoutUri(origin)],
    jwks: jwksOf(key),
    allowed_claims: ['age_over_18'],
    allowed_modes: ['cert', 'cert+password'],
  };
}

function counterRegistration(clientId: string, origin: string, key: SigningKey): PlatformRegistration {
  return {
    client_id: clientId,
    kind: 'government',
    name: { zh: '示例政务服务窗口', en: 'Example Service Counter' },
    purpose: {
      zh: '在窗口办理业务前核验您的姓名和网号',
      en: 'Check your name and network number before your case is handled at the counter',
    },
    // The wallet posts its answer here, and only to a registered address.
    redirect_uris: [counterResponseUri(origin)],
    jwks: jwksOf(key),
    allowed_claims: [...COUNTER_CLAIMS],
    allowed_modes: ['cert'],
    may_request_net_number: true,
  };
}

/** The forum's cookie key, derived from its private key: no second secret file to lose or leak. */
function sessionSecret(key: SigningKey): string {
  const { d } = key.privateKey.export({ format: 'jwk' });
  return createHmac('sha256', Buffer.from(d!, 'base64url'))
    .update('netid demo forum sessions')
    .digest('base64url');
}

/**
 * Starts the two demo platforms beside a running authority (`netid authority --demo`): loads or
 * makes each one's signing key, registers each through the operator API unless it already is
 * (approved), and serves the forum and the counter on loopback.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const authorityUrl = options.authorityUrl.replace(/\/+$/, '');
  const dir = join(options.dataDir, 'demo');
  const forumKey = loadOrCreateSigningKey(join(dir, 'forum.jwk.json'));
  const counterKey = loadOrCreateSigningKey(join(dir, 'counter.jwk.json'));
  const listening: Listening[] = [];
  let counter: Counter | undefined;
  try {
    const forumServer = await listen(options.forumPort);
    listening.push(forumServer);
    const counterServer = await listen(options.counterPort);
    listening.push(counterServer);

    const forumId = demoClientId('forum', forumKey, forumServer.origin);
    const counterId = demoClientId('counter', counterKey, counterServer.origin);
    const register = (registration: PlatformRegistration) =>
      ensureRegistered(authorityUrl, options.operatorToken, registration, options.fetch);
    const forumRegistered = await register(forumRegistration(forumId, forumServer.origin, forumKey));
    const counterRegistered = await register(
      counterRegistration(counterId, counterServer.origin, counterKey),
    );

    const forum = createForum({
      authorityUrl,
      origin: forumServer.origin,
      clientId: forumId,
      key: forumKey,
      sessionSecret: sessionSecret(forumKey),
    });
    forumServer.use(forum.fetch);
    counter = createCounter({
      authorityUrl,
      origin: counterServer.origin,
      clientId: counterId,
      key: counterKey,
      ...(options.walletUrl ? { walletUrl: options.walletUrl } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    counterServer.use(counter.app.fetch);
    const started = counter;
    return {
      forum: { url: forumServer.origin, clientId: forumId, registration: forumRegistered },
      counter: {
        url: counterServer.origin,
        clientId: counterId,
        registration: counterRegistered,
        verifier: started.verifier,
      },
      async close() {
        started.close();
        await Promise.all(listening.map((l) => l.close()));
      },
    };
  } catch (error) {
    counter?.close();
    await Promise.all(listening.map((l) => l.close()));
    throw error;
  }
}
