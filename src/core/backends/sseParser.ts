/** One server-sent event (WHATWG HTML §9.2 "Server-sent events"). */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * An incremental parser for `text/event-stream`: feed it chunks, get the complete events. Comments and
 * `retry:` are ignored; lines end in LF, CRLF or CR.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id?: string;
  /** The id of the last event that carried one, for `Last-Event-ID` on reconnection. */
  lastEventId?: string;

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let end = this.lineEnd();
    while (end !== -1) {
      const line = this.buffer.slice(0, end);
      const skip = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + skip);
      const event = this.line(line);
      if (event) events.push(event);
      end = this.lineEnd();
    }
    return events;
  }

  private lineEnd(): number {
    const lf = this.buffer.indexOf('\n');
    const cr = this.buffer.indexOf('\r');
    // A CR at the very end may be the first half of a CRLF still to come.
    if (cr !== -1 && (lf === -1 || cr < lf) && cr < this.buffer.length - 1) return cr;
    return lf;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const event = this.data.length === 0 ? undefined : { event: this.event || 'message', data: this.data.join('\n'), id: this.id };
    if (this.id !== undefined) this.lastEventId = this.id;
    this.data = [];
    this.event = '';
    this.id = undefined;
    return event;
  }
}
