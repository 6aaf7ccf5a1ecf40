import * as oidc from 'openid-client';
import { expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { applicationIdentifier } from '../platforms/app-id.ts';
import { enrollDevice, TEST_PASSWORD } from '../selfservice/test-support.ts';
import { sqlPlatformStore } from '../sql/platforms.ts';
import {
  addPlatform,
  finishSignIn,
  redeem,
  startSignIn,
  type TestPlatform,
  walletAnswers,
} from './test-support.ts';

let people = 0;
const nextPerson = () => `P-OIDC-${++people}`;

describeServed('Sign in with OpenID Connect', (served) => {
  /** PAR → page → wallet → code → token, the whole way, as a platform and a person would. */
  async function signIn(
    platform: TestPlatform,
    device: Awaited<ReturnType<typeof enrollDevice>>,
    disclose: string[] = ['age_over_18'],
    params: Record<string, string> = { acr_values: 'cert' },
  ) {
    const started = await startSignIn(served, platform, params);
    const { view } = await walletAnswers(served, started, device, {
      approve: true,
      disclose,
      password: TEST_PASSWORD,
    });
    const callback = await finishSignIn(served, platform, started);
    return { view, started, claims: (await redeem(platform, callback, started)).claims()! };
  }

  it('signs a person in with the wallet: sub is the application identifier, acr the mode', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform, { acr_values: 'cert' });
    expect(started.page).toContain(platform.clientId);
    const { view } = await walletAnswers(served, started, device, {
      approve: true,
      disclose: ['age_over_18'],
    });
    expect(view.kind).toBe('signin');
    expect(view.platform.clientId).toBe(platform.clientId);
    expect(view.claims).toEqual(['age_over_18']);
    expect(started.page).toContain(`id="verification-code" class="digits">${view.verificationCode}<`);
    const callback = await finishSignIn(served, platform, started);
    const claims = (await redeem(platform, callback, started)).claims()!;
    expect(claims.sub).toBe(
      applicationIdentifier(served.ctx.secrets.appId, platform.clientId, device.netNumber),
    );
    expect(claims.acr).toBe('cert');
    expect(claims.age_over_18).toBe(true);
    expect(claims).not.toHaveProperty('name');
    expect(claims).not.toHaveProperty('net_number');
    expect(claims).not.toHaveProperty('birthdate');
  });

  it('gives one person two different subs at two platforms, and the same sub twice at one', async () => {
    const [a, b] = [await addPlatform(served), await addPlatform(served)];
    const person = nextPerson();
    const device = await enrollDevice(served, person);
    const atA1 = (await signIn(a, device)).claims.sub;
    const atB = (await signIn(b, device)).claims.sub;
    const atA2 = (await signIn(a, device)).claims.sub;
    expect(atA1).toBe(atA2);
    expect(atA1).not.toBe(atB);
    expect([atA1, atB]).not.toContain(device.netNumber);
    // Another device of the same person: the same person at A; someone else: another sub.
    const laptop = await enrollDevice(served, person);
    expect(laptop.netNumber).toBe(device.netNumber);
    expect((await signIn(a, laptop)).claims.sub).toBe(atA1);
    const stranger = await enrollDevice(served, nextPerson());
    expect((await signIn(a, stranger)).claims.sub).not.toBe(atA1);
  });

  it('never returns a claim the platform is not allowed, even when asked by scope and by claims', async () => {
    const platform = await addPlatform(served, { claims: ['age_over_18'] });
    const device = await enrollDevice(served, nextPerson());
    const { view, claims } = await signIn(
      platform,
      device,
      ['age_over_18', 'name', 'net_number', 'birthdate'],
      {
        scope: 'openid age name birthdate net_number',
        claims: JSON.stringify({ id_token: { name: { essential: true }, net_number: null } }),
        acr_values: 'cert',
      },
    );
    expect(view.claims).toEqual(['age_over_18']);
    expect(claims.age_over_18).toBe(true);
    for (const c of ['name', 'net_number', 'birthdate']) expect(claims).not.toHaveProperty(c);
  });

  it('gives a government platform the network number and name only when allowed and consented', async () => {
    const gov = await addPlatform(served, {
      kind: 'government',
      claims: ['name', 'net_number'],
      netNumber: true,
    });
    const device = await enrollDevice(served, nextPerson());
    const params = { scope: 'openid name net_number', acr_values: 'cert' };
    const consented = await signIn(gov, device, ['name', 'net_number'], params);
    expect(consented.claims.net_number).toBe(device.netNumber);
    expect(consented.claims.name).toBe('张三');
    // The person unticks the network number in the wallet: the platform does not get it.
    const withheld = await signIn(gov, device, ['name'], params);
    expect(withheld.claims).not.toHaveProperty('net_number');
    expect(withheld.claims.sub).toBe(consented.claims.sub);
  });

  it('prefers the age predicate to the birthdate when a platform asks for both', async () => {
    const platform = await addPlatform(served, { claims: ['birthdate', 'age_over_18'] });
    const device = await enrollDevice(served, nextPerson());
    const { view, claims } = await signIn(platform, device, ['birthdate', 'age_over_18'], {
      scope: 'openid age birthdate',
      acr_values: 'cert',
    });
    expect(view.claims).toEqual(
      ['age_over_14', 'age_over_16', 'age_over_18'].filter((c) => c === 'age_over_18'),
    );
    expect(claims).not.toHaveProperty('birthdate');
  });

  it('refuses a suspended platform at its pushed request, and a platform suspended mid-flow', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform, { acr_values: 'cert' });
    await sqlPlatformStore(served.ctx.db).setState(platform.clientId, 'suspended', new Date());
    await expect(
      walletAnswers(served, started, device, { approve: true, disclose: [] }),
    ).rejects.toMatchObject({
      code: 'ERR_VERIFIER_REFUSED',
      cause: { code: 'platform_suspended' },
    });
    await expect(startSignIn(served, platform)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('password mode: the right password signs in with acr cert+password; wrong ones fail, then lock', async () => {
    const platform = await addPlatform(served, { modes: ['cert+password'] });
    const device = await enrollDevice(served, nextPerson());
    const ok = await signIn(platform, device, [], { acr_values: 'cert+password' });
    expect(ok.claims.acr).toBe('cert+password');
    const started = await startSignIn(served, platform, { acr_values: 'cert+password' });
    for (let left = 4; left >= 1; left--) {
      await expect(
        walletAnswers(served, started, device, { approve: true, disclose: [], password: '11111111' }),
      ).rejects.toMatchObject({ cause: { code: 'wrong_password', extra: { attempts_left: left } } });
    }
    await expect(
      walletAnswers(served, started, device, { approve: true, disclose: [], password: '11111111' }),
    ).rejects.toMatchObject({ cause: { code: 'password_locked' } });
    // Locked: even the right password is refused now.
    await expect(
      walletAnswers(served, started, device, { approve: true, disclose: [], password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ cause: { code: 'password_locked' } });
    const status = await (await started.browser.get(`${started.pageUrl}/status`)).json();
    expect(status).toEqual({ status: 'pending' });
  });

  it('refuses face modes clearly until they exist, with the standard error at the platform', async () => {
    const platform = await addPlatform(served);
    const started = await startSignIn(served, platform, { acr_values: 'cert+face' });
    // The page finishes the interaction with an error: the browser is sent back to the platform.
    const res = await started.browser.get(started.pageUrl);
    expect(res.status).toBe(303);
    let url = new URL(res.headers.get('location')!, served.url);
    while (!url.href.startsWith(platform.redirectUri)) {
      url = new URL((await started.browser.get(url.href)).headers.get('location')!, served.url);
    }
    expect(url.searchParams.get('error')).toBe('unmet_authentication_requirements');
    expect(url.searchParams.get('error_description')).toMatch(/face modes/);
  });

  it('tells the platform access_denied when the person declines in the wallet', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform, { acr_values: 'cert' });
    await walletAnswers(served, started, device, { approve: false, disclose: [] });
    const callback = await finishSignIn(served, platform, started);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    await expect(redeem(platform, callback, started)).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('signs in with DPoP-bound tokens', async () => {
    const platform = await addPlatform(served);
    const device = await enrollDevice(served, nextPerson());
    const started = await startSignIn(served, platform, { acr_values: 'cert' });
    await walletAnswers(served, started, device, { approve: true, disclose: [] });
    const callback = await finishSignIn(served, platform, started);
    const dpop = oidc.getDPoPHandle(platform.config, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.authorizationCodeGrant(
      platform.config,
      callback,
      { pkceCodeVerifier: started.verifier, expectedState: started.state },
      undefined,
      { DPoP: dpop },
    );
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
  });
});
