import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.ts';
import { backends } from './backends.ts';
import { findPlaintext } from './scan-plaintext.ts';

describe.each(backends)('findPlaintext on $name', (backend) => {
  describe.skipIf(!backend.available)('scan', () => {
    let db: Db;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const opened = await backend.open();
      db = opened.database.db;
      cleanup = opened.cleanup;
      const at = new Date();
      await db
        .insertInto('sms_outbox')
        .values({ to_masked: '138****5678', message: 'x 13812345678 y', sent_at: at })
        .execute();
      await db
        .insertInto('secrets')
        .values({
          name: 'probe',
          value_enc: Buffer.concat([Buffer.of(0, 255), Buffer.from('110101199003077777')]),
          created_at: at,
        })
        .execute();
      await db
        .insertInto('issuer_keys')
        .values({
          kid: 'k',
          alg: 'ES256',
          public_jwk: JSON.stringify({ note: 'H12345678' }),
          private_key_enc: Buffer.of(1),
          created_at: at,
        })
        .execute();
    });
    afterAll(() => cleanup());

    it('finds a needle in text, bytea and jsonb columns of any table, naming where', async () => {
      expect(await findPlaintext(db, ['13812345678', '110101199003077777', 'H12345678'])).toEqual([
        'issuer_keys.public_jwk: H12345678',
        'secrets.value_enc: 110101199003077777',
        'sms_outbox.message: 13812345678',
      ]);
    });

    it('finds nothing that is not there (a masked number is not the number)', async () => {
      expect(await findPlaintext(db, ['13812340000', '5678x', '110101199003077778'])).toEqual([]);
    });

    it('refuses an empty needle, which would match everything', async () => {
      await expect(findPlaintext(db, [''])).rejects.toThrow(/empty needle/);
    });
  });
});
