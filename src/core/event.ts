/** Something that can be released; the same shape as VS Code's Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener; call `dispose()` on the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

let unexpectedErrorHandler: (error: unknown) => void = () => undefined;

/** Where errors thrown by event listeners go; hosts point this at their logger. */
export function setUnexpectedErrorHandler(handler: (error: unknown) => void): void {
  unexpectedErrorHandler = handler;
}

/**
 * A minimal typed event source, shaped like VS Code's `EventEmitter` so the extension can pass core
 * events straight to its own subscriptions. A listener that throws does not stop the others.
 */
export class Emitter<T> {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        unexpectedErrorHandler(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
