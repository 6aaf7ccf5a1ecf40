import { createInterface, type Interface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
import { fail } from '@netid/protocol';

/** Asks the holder questions on stderr (stdout is for results) and reads answers from stdin. */
export interface Prompter {
  ask(question: string): Promise<string>;
  /** Not echoed when stdin is a terminal. */
  askSecret(question: string): Promise<string>;
  /** A line for the holder (an explanation before asking again). */
  say(text: string): void;
  close(): void;
}

/**
 * One readline over stdin for the whole conversation, created on the first question so that fully
 * scripted runs never touch the terminal. Lines are read through its async iterator, which buffers:
 * answers piped in all at once are not lost between questions. The echo goes through a gate that is
 * shut while a secret is typed.
 */
export function createPrompter(stdin: Readable, stderr: NodeJS.WritableStream): Prompter {
  const terminal = Boolean((stdin as { isTTY?: boolean }).isTTY);
  let muted = false;
  let rl: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  const next = async (question: string): Promise<string> => {
    if (!rl || !lines) {
      const echo = new Writable({
        write(chunk, _encoding, done) {
          if (!muted) stderr.write(chunk);
          done();
        },
      });
      rl = createInterface({ input: stdin, output: echo, terminal });
      lines = rl[Symbol.asyncIterator]();
    }
    stderr.write(question);
    const { value, done } = await lines.next();
    if (done) return fail('ERR_MALFORMED', 'the input ended before every question was answered');
    return String(value).trim();
  };
  return {
    ask: next,
    async askSecret(question) {
      muted = terminal;
      try {
        return await next(question);
      } finally {
        muted = false;
        if (terminal) stderr.write('\n');
      }
    },
    say: (text) => stderr.write(text),
    close: () => rl?.close(),
  };
}
