import { LineReader } from './lineReader';
import { firstBytes, isOversized, lastBytes, MAX_MESSAGE_BYTES, type Oversized } from './messageLimit';

/** One server-sent event (WHATWG HTML §9.2 "Server-sent events"); its data as bytes, or the ends of data over the limit. */
export interface SseEvent {
  readonly event: string;
  readonly data: Buffer | Oversized;
  readonly id?: string;
}

const DATA_PREFIX = Buffer.from('data:');

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML §9.2.6): feed it chunks as they arrive, get
 * the complete events, in time linear in the stream's length. Comments and `retry:` are ignored; lines
 * end in LF, CRLF or CR. An event whose data passes `maxBytes` is not kept: it comes out as
 * {@link Oversized}, its first and last bytes only, and the stream goes on.
 */
export class SseParser {
  private readonly lines: LineReader;
  private data: Buffer[] = [];
  private dataBytes = 0;
  private dropped?: { head: Buffer; tail: Buffer; bytes: number };
  private event = '';
  private id?: string;
  /** The id of the last event that carried one, for `Last-Event-ID` on reconnection. */
  lastEventId?: string;

  constructor(private readonly maxBytes = MAX_MESSAGE_BYTES) {
    this.lines = new LineReader(true, maxBytes);
  }

  push(chunk: Buffer): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of this.lines.push(chunk)) {
      const event = isOversized(line) ? this.oversizedLine(line) : this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: Buffer): SseEvent | undefined {
    if (line.length === 0) return this.dispatch();
    if (line[0] === 0x3a) return undefined;
    const colon = line.indexOf(0x3a);
    const field = line.toString('utf8', 0, colon === -1 ? line.length : colon);
    const valueStart = colon === -1 ? line.length : colon + (line[colon + 1] === 0x20 ? 2 : 1);
    const value = line.subarray(valueStart);
    if (field === 'data') this.addData(value);
    else if (field === 'event') this.event = value.toString('utf8');
    else if (field === 'id' && !value.includes(0)) this.id = value.toString('utf8');
    return undefined;
  }

  /** A line over the limit: if it is data, the event's data is over the limit too; nothing else is that long. */
  private oversizedLine(line: Oversized): undefined {
    if (!line.head.subarray(0, DATA_PREFIX.length).equals(DATA_PREFIX)) return undefined;
    const prefix = DATA_PREFIX.length + (line.head[DATA_PREFIX.length] === 0x20 ? 1 : 0);
    this.drop(line.head.subarray(prefix), line.tail, (line.bytes ?? 0) - prefix);
    return undefined;
  }

  private addData(value: Buffer): void {
    const bytes = this.dataBytes + this.separator().length + value.length;
    if (this.dropped || bytes > this.maxBytes) {
      this.drop(value, value, value.length);
      return;
    }
    this.data.push(value);
    this.dataBytes = bytes;
  }

  /** Data lines are joined with LF: the one before the next line, if any came before it. */
  private separator(): Buffer {
    return this.data.length > 0 || this.dropped ? LF : EMPTY;
  }

  /** Data that takes the event over the limit (`start` and `end` are its ends): from here on only the event's ends are kept. */
  private drop(start: Buffer, end: Buffer, length: number): void {
    const separator = this.separator();
    const kept = withBreaks(this.data);
    const dropped = this.dropped ?? { head: firstBytes(kept), tail: lastBytes(kept), bytes: this.dataBytes };
    dropped.head = firstBytes([dropped.head, separator, start]);
    dropped.tail = lastBytes([dropped.tail, separator, end]);
    dropped.bytes += separator.length + length;
    this.dropped = dropped;
    this.data = [];
    this.dataBytes = 0;
  }

  private dispatch(): SseEvent | undefined {
    const dropped = this.dropped;
    let event: SseEvent | undefined;
    if (dropped) event = { event: this.event || 'message', data: { oversized: true, ...dropped }, id: this.id };
    else if (this.data.length > 0) event = { event: this.event || 'message', data: this.data.length === 1 ? (this.data[0] as Buffer) : Buffer.concat(withBreaks(this.data), this.dataBytes), id: this.id };
    if (this.id !== undefined) this.lastEventId = this.id;
    this.data = [];
    this.dataBytes = 0;
    this.dropped = undefined;
    this.event = '';
    this.id = undefined;
    return event;
  }
}

/** Data lines with an LF between each two, as the event's data joins them. */
function withBreaks(lines: readonly Buffer[]): Buffer[] {
  return lines.flatMap((line, i) => (i === 0 ? [line] : [LF, line]));
}

const LF = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);
