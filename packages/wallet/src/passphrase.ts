import { fail } from '@netid/protocol';
import type { Prompter } from './prompt.ts';

/**
 * The wallet file is encrypted under its own passphrase, NOT the 8-digit netid password: the
 * password is a second factor the authority checks online with a lockout, and 10^8 values would fall
 * to an offline search of a stolen wallet file whatever the KDF. So the passphrase is separate and
 * longer (which also means it can never be the password itself).
 */
export const MIN_PASSPHRASE_LENGTH = 10;

/** `--passphrase`, else `$NETID_WALLET_PASSPHRASE`, else asked (twice for a new wallet). */
export async function obtainPassphrase(
  given: string | undefined,
  prompter: Prompter,
  options: { confirm: boolean },
): Promise<string> {
  const supplied = given ?? process.env.NETID_WALLET_PASSPHRASE;
  if (supplied !== undefined) {
    if (options.confirm) checkNewPassphrase(supplied);
    return supplied;
  }
  if (!options.confirm) return prompter.askSecret('wallet passphrase: ');
  for (;;) {
    const first = await prompter.askSecret(
      `choose a wallet passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters, not your netid password): `,
    );
    const problem = passphraseProblem(first);
    if (problem) {
      prompter.say(`${problem}\n`);
      continue;
    }
    if ((await prompter.askSecret('the passphrase again: ')) === first) return first;
    prompter.say('the two passphrases differ\n');
  }
}

export function passphraseProblem(passphrase: string): string | undefined {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    return `the wallet passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`;
  }
  return undefined;
}

export function checkNewPassphrase(passphrase: string): void {
  const problem = passphraseProblem(passphrase);
  if (problem) fail('ERR_WALLET_PASSPHRASE', problem);
}
