import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CERTIFICATE_CLAIMS,
  CERTIFICATE_VCT,
  decodeSdJwt,
  exportPublicJwk,
  generateNetNumber,
  generateSigningKey,
  issueSdJwt,
  maskNetNumber,
  presentSdJwt,
  StatusList,
  signStatusListJwt,
} from '@netid/protocol';
import { createVerifier } from '@netid/verifier';
import type { Command } from '../io.ts';

/**
 * A walk through the formats on loopback: an issuer (stand-in for the authority, which comes with
 * its own issue) signs a network certificate, a wallet presents two claims, a platform verifies
 * offline with @netid/verifier, then the certificate is revoked and the platform sees it.
 */
export const demoCommand: Command = async (_args, io) => {
  const say = (line = '') => io.stdout.write(`${line}\n`);
  const issuerKey = generateSigningKey('ES256');
  const list = new StatusList(2, 1 << 16);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const statusUri = `${origin}/status/0`;
  server.on('request', (req, res) => {
    const routes: Record<string, () => [string, string]> = {
      '/.well-known/jwt-vc-issuer': () => [
        'application/json',
        JSON.stringify({ issuer: origin, jwks: { keys: [issuerKey.publicJwk] }, status_lists: [statusUri] }),
      ],
      '/status/0': () => [
        'application/statuslist+jwt',
        signStatusListJwt({ uri: statusUri, list, ttl: 1 }, issuerKey),
      ],
    };
    const route = routes[req.url ?? ''];
    if (!route) return void res.writeHead(404).end();
    const [type, body] = route();
    res.writeHead(200, { 'content-type': type, 'cache-control': 'max-age=1' }).end(body);
  });

  say(`netid demo — issuer on ${origin}`);
  const device = generateSigningKey('ES256');
  const netNumber = generateNetNumber();
  const now = Math.floor(Date.now() / 1000);
  const idx = 1 + Math.floor(Math.random() * (list.size - 1));
  const certificate = issueSdJwt(
    {
      payload: {
        iss: origin,
        iat: now,
        exp: now + 365 * 86400,
        vct: CERTIFICATE_VCT,
        cnf: { jwk: exportPublicJwk(device.privateKey) },
        status: { status_list: { idx, uri: statusUri } },
        net_number: netNumber,
        name: '张伟',
        birthdate: '1990-03-07',
        age_over_14: true,
        age_over_16: true,
        age_over_18: true,
        document_type: 'resident_id',
        enrollment_level: 'document+phone+password',
      },
      frame: { _sd: CERTIFICATE_CLAIMS, _sd_decoy: 2 },
    },
    issuerKey,
  );
  const decoded = decodeSdJwt(certificate);
  say(
    `1. issued a network certificate for ${maskNetNumber(netNumber)} bound to device key ${device.kid.slice(0, 12)}…`,
  );
  say(
    `   ${certificate.length} bytes, ${decoded.disclosures.length} selectively disclosable claims, status index ${idx}`,
  );

  const verifier = createVerifier({ issuer: origin, cache: { minRefreshSeconds: 1 } });
  await verifier.ready();
  const audience = 'https://forum.example.com';
  const nonce = `demo-${now}`;
  const presentation = presentSdJwt(certificate, {
    disclose: { age_over_18: true, enrollment_level: true },
    keyBinding: { key: device, audience, nonce },
  });
  say(
    `2. the wallet presents 2 of ${decoded.disclosures.length} claims to ${audience} (${presentation.length} bytes)`,
  );
  const result = await verifier.verify(presentation, { audience, nonce, requiredClaims: ['age_over_18'] });
  const shown = { age_over_18: result.claims.age_over_18, enrollment_level: result.claims.enrollment_level };
  say(
    `3. the platform verified it offline: ${JSON.stringify(shown)}; name, birthdate and number stayed hidden`,
  );

  list.set(idx, 1);
  say('4. the holder reports the device lost; the issuer revokes the certificate');
  const deadline = Date.now() + 10_000;
  let outcome = 'still accepted';
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const again = presentSdJwt(certificate, { disclose: {}, keyBinding: { key: device, audience, nonce } });
    const code = await verifier.verify(again, { audience, nonce }).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    if (code) {
      outcome = `refused with ${code}`;
      break;
    }
  }
  say(`5. after its background status refresh the platform ${outcome}`);
  verifier.close();
  server.close();
  return outcome.startsWith('refused') ? 0 : 1;
};
