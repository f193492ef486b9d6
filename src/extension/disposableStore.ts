import type { Disposable } from '../core/event';

/** A set of disposables released together: the agent-run scope (the extension scope is `context.subscriptions`). */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];

  add<T extends Disposable>(item: T): T {
    this.items.push(item);
    return item;
  }

  /** Disposes everything added so far, newest first; the store can be used again afterwards. */
  dispose(): void {
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) item.dispose();
  }
}
