import { type Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { z } from 'zod';
import { Problem } from '../http/problem.ts';
import { createCertificateOffer } from '../issuance/offer.ts';
import { preAuthorizedCodeHash, randomToken } from '../issuance/secrets.ts';
import { openSessionData, sealSessionData } from './data.ts';
import { WEAK_PASSWORD_DETAIL, weakPasswordRule } from './password-rules.ts';
import { problems } from './problems.ts';
import { sixDigitCode, txCodeHash } from './secrets.ts';
import { type Enrollment, explainLostRace, sessionForStep } from './session.ts';
import { STATE } from './states.ts';

export const passwordBody = z.object({ password: z.string().max(64) });

// `Algorithm` is an ambient const enum, which isolated modules cannot read: its value, named.
const ARGON2ID = 2 as Algorithm;

export interface Issuable {
  next: 'issue';
  credentialOffer: Record<string, unknown>;
  credentialOfferUri: string;
}

/**
 * The password step, and the end of enrollment: the password is hashed (argon2id, the library's
 * defaults — 19 MiB, 2 passes), a pre-authorized code and a tx_code are made (hashes stored), the
 * tx_code is texted to the verified phone and the credential offer returned. Issuance takes over.
 */
export async function passwordStep(
  e: Enrollment,
  token: string,
  body: z.infer<typeof passwordBody>,
): Promise<Issuable> {
  const session = await sessionForStep(e, token, 'password');
  const data = openSessionData(e.ctx.sealer, session.idHash, session.dataSealed!);
  const rule = weakPasswordRule(body.password, data.birthdate);
  if (rule) throw problems.weakPassword(rule, WEAK_PASSWORD_DETAIL[rule]);

  const passwordHash = await argon2Hash(body.password, { algorithm: ARGON2ID });
  const code = randomToken();
  const txCode = sixDigitCode();
  const { phone, ...handOff } = data;
  if (!phone) throw new Problem(500, 'server_error', 'the server could not complete the request');
  const offer = await createCertificateOffer(e.ctx.config, {
    preAuthorizedCode: code,
    txCode: {
      length: 6,
      inputMode: 'numeric',
      description: '短信中的6位领取码 / the 6-digit code sent to your phone',
    },
  });
  const now = new Date(e.ctx.now());
  const moved = await e.store.transition(
    session.idHash,
    { state: STATE.password },
    STATE.issuable,
    {
      passwordHash,
      preAuthorizedCodeHash: preAuthorizedCodeHash(e.ctx.secrets.session, code),
      txCodeHash: txCodeHash(e.ctx.secrets.session, txCode),
      // From here on the session holds no phone number, sealed or not.
      dataSealed: sealSessionData(e.ctx.sealer, session.idHash, handOff),
    },
    now,
  );
  if (!moved) return explainLostRace(e, token, 'password');

  try {
    await e.sms.send(
      phone,
      `【netid】网证领取码 ${txCode}，请在钱包中输入，请勿告诉他人。Your netid wallet code: ${txCode}`,
    );
  } catch (error) {
    // Nobody holds the code yet (it is only in this response), so undoing cannot race a redemption.
    await e.store.transition(
      session.idHash,
      { state: STATE.issuable },
      STATE.password,
      {
        passwordHash: null,
        preAuthorizedCodeHash: null,
        txCodeHash: null,
        dataSealed: Buffer.from(session.dataSealed!),
      },
      now,
    );
    throw error;
  }

  // The library built and checked the offer object; the URI is spelled with encodeURIComponent
  // rather than its form encoding ('+' for spaces), which every URI parser decodes the same way.
  const credentialOffer = offer.credentialOfferObject;
  return {
    next: 'issue',
    credentialOffer,
    credentialOfferUri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(credentialOffer))}`,
  };
}
