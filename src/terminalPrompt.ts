/** The person pressed Ctrl+C at a question: the command stops and writes nothing. */
export class PromptCancelled extends Error {
  constructor() {
    super('Cancelled; nothing was written');
    this.name = 'PromptCancelled';
  }
}

/** Whether questions can be asked: stdin is a terminal. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && typeof process.stdin.setRawMode === 'function';
}

/**
 * Asks one question on the terminal (on stderr, so stdout stays the command's answer) and reads a
 * line; `hidden` echoes nothing (for secrets). Resolves to undefined at end of input (Ctrl+D);
 * Ctrl+C rejects with {@link PromptCancelled}.
 */
export function ask(question: string, { hidden = false } = {}): Promise<string | undefined> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (outcome: () => void): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\u0003') return finish(() => reject(new PromptCancelled()));
        if (char === '\u0004' && line === '') return finish(() => resolve(undefined));
        if (char === '\r' || char === '\n') return finish(() => resolve(line));
        if (char === '\u007f' || char === '\b') {
          if (line && !hidden) process.stderr.write('\b \b');
          line = [...line].slice(0, -1).join('');
        } else if (char >= ' ') {
          line += char;
          if (!hidden) process.stderr.write(char);
        }
      }
    };
    // The terminal went away: as at Ctrl+D.
    const onEnd = (): void => finish(() => resolve(undefined));
    stdin.on('data', onData);
    stdin.once('end', onEnd);
  });
}
