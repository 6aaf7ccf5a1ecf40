// Presentation verification on one core: ours (through the platform SDK, status from cache) against
// @sd-jwt/sd-jwt-vc 0.19.0 on the same presentations, and against the ceiling of two bare
// node:crypto ES256 verifications per presentation.

import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeBase64url,
  exportPublicJwk,
  generateSigningKey,
  issueSdJwt,
  type PublicJwk,
  presentSdJwt,
  StatusList,
  signStatusListJwt,
} from '@netid/protocol';
import { createVerifier } from '@netid/verifier';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { compareThroughput, fmt, throughput } from './harness.ts';

const AUD = 'https://forum.example.com';
const CLAIMS = ['name', 'birthdate', 'age_over_18', 'document_type', 'enrollment_level', 'net_number'];

export async function verifyBench(): Promise<string[]> {
  const issuerKey = generateSigningKey('ES256');
  const list = new StatusList(1, 1 << 20);
  for (let i = 0; i < list.size; i += 100) list.set(i, 1); // 1 % revoked
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const statusUri = `${origin}/status/0`;
  const statusJwt = signStatusListJwt(
    { uri: statusUri, list, exp: Math.floor(Date.now() / 1000) + 86400 },
    issuerKey,
  );
  server.on('request', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/statuslist+jwt', 'cache-control': 'max-age=3600' });
    res.end(statusJwt);
  });

  const now = Math.floor(Date.now() / 1000);
  const certificatePayload = (jwk: PublicJwk, idx: number) => ({
    iss: origin,
    iat: now,
    exp: now + 86400,
    vct: 'urn:netid:certificate:1',
    cnf: { jwk },
    status: { status_list: { idx, uri: statusUri } },
    name: '张伟',
    birthdate: '1990-03-07',
    age_over_18: true,
    document_type: 'resident_id',
    enrollment_level: 'document+phone+password',
    net_number: 'K0X12C3D4E',
  });
  // Holders with a certificate of 6 disclosable claims each, presenting 2 of them `perHolder` times.
  const makePresentations = (holders: number, perHolder: number, firstIdx: number) => {
    const out: { token: string; nonce: string }[] = [];
    for (let h = 0; h < holders; h++) {
      const holder = generateSigningKey('ES256');
      const sdJwt = issueSdJwt(
        {
          // every 100th index is revoked; these are not
          payload: certificatePayload(exportPublicJwk(holder.privateKey), (firstIdx + h) * 100 + 1),
          frame: { _sd: CLAIMS },
        },
        issuerKey,
      );
      for (let p = 0; p < perHolder; p++) {
        const nonce = `nonce-${firstIdx + h}-${p}`;
        const token = presentSdJwt(sdJwt, {
          disclose: { age_over_18: true, name: true },
          keyBinding: { key: holder, audience: AUD, nonce },
        });
        out.push({ token, nonce });
      }
    }
    return out;
  };
  const presentations = makePresentations(200, 10, 0);
  // Each from a device the verifier has never seen: the key import and OpenSSL's first use of the
  // key are paid every time. Measured in one pass, so no key is ever reused.
  const coldPresentations = makePresentations(1500, 1, 1000);

  const verifier = createVerifier({
    issuer: origin,
    jwks: { keys: [issuerKey.publicJwk] },
    statusLists: [statusUri],
  });
  await verifier.ready();
  for (const p of presentations.slice(0, 5))
    await verifier.verify(p.token, { audience: AUD, nonce: p.nonce });

  // (a) the reference library, configured as an integrator would, with the status list JWT served
  // from memory (no HTTP): it re-verifies and re-inflates the list per presentation, as it is built to.
  const verifierFn = await ES256.getVerifier(issuerKey.publicJwk);
  const kbVerifier = async (data: string, sig: string, payload: Record<string, unknown>) =>
    (await ES256.getVerifier((payload.cnf as { jwk: object }).jwk))(data, sig);
  const vc = new SDJwtVcInstance({
    hasher: digest,
    verifier: verifierFn,
    kbVerifier,
    statusListFetcher: async () => statusJwt,
  });
  const core = new SDJwtInstance({ hasher: digest, verifier: verifierFn, kbVerifier });
  const check = await vc.verify(presentations[0]!.token, { keyBindingNonce: presentations[0]!.nonce });
  if ((check.payload as { age_over_18?: boolean }).age_over_18 !== true)
    throw new Error('reference disagrees');
  // It inflates the whole list per presentation, so a short single run is enough to measure it.
  const refVc = await throughput(presentations, (p) => vc.verify(p.token, { keyBindingNonce: p.nonce }), 2);

  // (b) the ceiling: two ES256 signature checks per presentation with pre-imported keys, nothing else.
  const issuerPub = createPublicKey({ key: issuerKey.publicJwk as never, format: 'jwk' });
  const raw = presentations.map(({ token }) => {
    const parts = token.split('~');
    const jwt = parts[0]!;
    const kb = parts[parts.length - 1]!;
    const payload = JSON.parse(decodeBase64url(jwt.split('.')[1]!).toString());
    const holderPub = createPublicKey({ key: payload.cnf.jwk, format: 'jwk' });
    const split = (s: string) => {
      const i = s.lastIndexOf('.');
      return { data: Buffer.from(s.slice(0, i)), sig: decodeBase64url(s.slice(i + 1)) };
    };
    return { a: split(jwt), b: split(kb), holderPub };
  });
  const twoVerifications = ({ a, b, holderPub }: (typeof raw)[number]) => {
    if (!cryptoVerify('sha256', a.data, { key: issuerPub, dsaEncoding: 'ieee-p1363' }, a.sig))
      throw new Error('a');
    if (!cryptoVerify('sha256', b.data, { key: holderPub, dsaEncoding: 'ieee-p1363' }, b.sig))
      throw new Error('b');
  };
  type Presentation = (typeof presentations)[number];
  const measured = await compareThroughput([
    {
      name: 'ours',
      inputs: presentations,
      fn: (p: Presentation) => verifier.verify(p.token, { audience: AUD, nonce: p.nonce }),
    },
    // The same library without any status check: the most favourable baseline for it.
    {
      name: 'refCore',
      inputs: presentations,
      fn: (p: Presentation) => core.verify(p.token, { keyBindingNonce: p.nonce }),
    },
    { name: 'ceiling', inputs: raw, fn: twoVerifications },
  ]);
  const ours = measured.get('ours')!;
  const coldStart = performance.now();
  for (const p of coldPresentations) await verifier.verify(p.token, { audience: AUD, nonce: p.nonce });
  const cold = coldPresentations.length / ((performance.now() - coldStart) / 1000);
  const refCore = measured.get('refCore')!;
  const ceiling = measured.get('ceiling')!;

  // Issuance: one network certificate (6 disclosable claims + 2 decoys), ES256.
  const holderJwk = exportPublicJwk(generateSigningKey().privateKey);
  const issue = await throughput([0], () =>
    issueSdJwt(
      {
        payload: certificatePayload(holderJwk, 1),
        frame: { _sd: CLAIMS, _sd_decoy: 2 },
      },
      issuerKey,
    ),
  );

  verifier.close();
  server.close();
  return [
    'presentation verification, one core (2 of 6 disclosures, ES256, KB-JWT, status from cache):',
    `  netid @netid/verifier                  ${fmt(ours).padStart(9)} /s`,
    `  (a) @sd-jwt/sd-jwt-vc 0.19.0 (status)  ${fmt(refVc).padStart(9)} /s   ours = ${fmt(ours / refVc, 2)}× (target ≥ 4×)`,
    `  (a') @sd-jwt/core 0.19.0 (no status)   ${fmt(refCore).padStart(9)} /s   ours = ${fmt(ours / refCore, 2)}×`,
    `  (b) ceiling: 2 × node:crypto ES256     ${fmt(ceiling).padStart(9)} /s   ours = ${fmt(ours / ceiling, 2)}× (target ≥ 0.7×)`,
    `  ours, every presentation from a new device ${fmt(cold).padStart(5)} /s   (no cached device key; ${fmt(cold / ceiling, 2)}× ceiling)`,
    'issuance, one core (network certificate, 6 disclosable claims + 2 decoys, ES256):',
    `  issueSdJwt                             ${fmt(issue).padStart(9)} /s`,
  ];
}
