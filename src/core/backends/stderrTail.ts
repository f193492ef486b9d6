import { redactSecrets } from '../redact';

/**
 * Keeps the last few lines a child process wrote to stderr, for error reports and the UI, with anything
 * that looks like a secret cut out (they are shown, logged and served by `/health`).
 */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 20, private readonly maxLineLength = 500) {}

  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) this.partial = this.partial.slice(0, this.maxLineLength);
    const complete = parts.filter((l) => l.trim() !== '').map((l) => redactSecrets(l.slice(0, this.maxLineLength)));
    this.lines.push(...complete);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    return complete;
  }

  snapshot(): string[] {
    return this.partial.trim() ? [...this.lines, redactSecrets(this.partial)] : [...this.lines];
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }
}
