import { firstBytes, lastBytes, MAX_MESSAGE_BYTES, type Oversized } from './messageLimit';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines in time linear in its length: each chunk is searched once, from where
 * the last line ended, and a line's chunks are joined once it is complete. A line longer than `maxBytes`
 * is not kept: only its first and last bytes and its length come out, when it ends.
 *
 * `crEndsLine`: CR alone ends a line too, and CRLF is one line end (`text/event-stream`, WHATWG HTML
 * §9.2.5); otherwise only LF does (MCP stdio), and a CR before it is dropped.
 */
export class LineReader {
  private parts: Buffer[] = [];
  private length = 0;
  private dropped?: { head: Buffer; tail: Buffer; bytes: number };
  /** The previous chunk ended in CR, so an LF at the start of this one belongs to it. */
  private afterCr = false;

  constructor(private readonly crEndsLine: boolean, private readonly maxBytes = MAX_MESSAGE_BYTES) {}

  push(chunk: Buffer): (Buffer | Oversized)[] {
    const lines: (Buffer | Oversized)[] = [];
    let start = this.afterCr && chunk[0] === LF ? 1 : 0;
    this.afterCr = false;
    let lf = chunk.indexOf(LF, start);
    let cr = this.crEndsLine ? chunk.indexOf(CR, start) : -1;
    for (;;) {
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      this.append(chunk.subarray(start, end));
      lines.push(this.take());
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.afterCr = true;
        else if (chunk[start] === LF) start++;
      }
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
    return lines;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    const dropped = this.dropped;
    if (dropped) {
      dropped.bytes += part.length;
      dropped.head = firstBytes([dropped.head, part]);
      dropped.tail = lastBytes([dropped.tail, part]);
      return;
    }
    this.parts.push(part);
    this.length += part.length;
    if (this.length > this.maxBytes) {
      this.dropped = { head: firstBytes(this.parts), tail: lastBytes(this.parts), bytes: this.length };
      this.parts = [];
      this.length = 0;
    }
  }

  private take(): Buffer | Oversized {
    const dropped = this.dropped;
    this.dropped = undefined;
    if (dropped) return { oversized: true, ...dropped };
    const parts = this.parts;
    let line = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, this.length);
    this.parts = [];
    this.length = 0;
    if (!this.crEndsLine && line[line.length - 1] === CR) line = line.subarray(0, -1);
    return line;
  }
}
