import { expect, it } from 'vitest';
import { describeServed } from '../issuance/test-support.ts';
import { applicationIdentifier } from '../platforms/app-id.ts';
import { enrollDevice } from '../selfservice/test-support.ts';
import { addPlatform, finishSignIn, redeem, startSignIn, walletAnswers } from './test-support.ts';

let people = 0;
const nextPerson = () => `P-OIDC-${++people}`;

describeServed('Sign in with OpenID Connect', (served) => {
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
    expect(started.page).toContain(view.verificationCode);
    const callback = await finishSignIn(served, platform, started);
    const tokens = await redeem(platform, callback, started);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(
      applicationIdentifier(served.ctx.secrets.appId, platform.clientId, device.netNumber),
    );
    expect(claims.acr).toBe('cert');
    expect(claims.age_over_18).toBe(true);
    expect(claims).not.toHaveProperty('name');
    expect(claims).not.toHaveProperty('net_number');
  });
});
