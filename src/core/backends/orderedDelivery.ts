/**
 * Hands received messages to `deliver` in order, with a microtask between one and the next. The
 * SDK's Protocol handles a notification one microtask later than a response, so a progress notification
 * and the response right behind it in the same chunk would otherwise be handled out of order, and that
 * last progress lost.
 */
export class OrderedDelivery<T> {
  private readonly pending: T[] = [];
  private draining = false;

  constructor(private readonly deliver: (item: T) => void) {}

  push(items: readonly T[]): void {
    this.pending.push(...items);
    if (!this.draining && this.pending.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    for (let item = this.pending.shift(); item !== undefined; item = this.pending.shift()) {
      this.deliver(item);
      if (this.pending.length > 0) await Promise.resolve();
    }
    this.draining = false;
  }
}
