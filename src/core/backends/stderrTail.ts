import { redactSecrets } from '../redact';

/**
 * Keeps the last few lines a child process wrote to stderr, for error reports and the UI, with anything
 * that looks like a secret cut out (they are shown, logged and served by `/health`).
 */
/** Words a line that explains a failure tends to contain. */
const TELLING = /error|exception|fatal|fail|cannot|can't|not found|no such|missing|denied|refused|invalid|unauthori[sz]ed|forbidden|required/i;
/** A line of a stack trace (`    at f (file:1:2)`, `  File "x.py", line 3`), which names code, not the problem. */
const STACK_FRAME = /^\s+(at\s|File\s")/;

export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  /** `redact` cuts secrets out of every line (see SecretValues.redact). */
  constructor(private readonly redact = redactSecrets, private readonly maxLines = 20, private readonly maxLineLength = 500) {}

  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) this.partial = this.partial.slice(0, this.maxLineLength);
    const complete = parts.filter((l) => l.trim() !== '').map((l) => this.redact(l.slice(0, this.maxLineLength)));
    this.lines.push(...complete);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    return complete;
  }

  /**
   * The line that best says why the process failed: the last one that reads like an error (Node and
   * Python end a crash with a stack, a version banner or a closing brace after the message), else the
   * last line.
   */
  tellingLine(): string | undefined {
    const lines = this.snapshot();
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i] ?? '';
      if (TELLING.test(line) && !STACK_FRAME.test(line)) return line.trim();
    }
    return lines.at(-1)?.trim();
  }

  snapshot(): string[] {
    return this.partial.trim() ? [...this.lines, this.redact(this.partial)] : [...this.lines];
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }
}
