import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { Disposable } from '../event';
import type { Logger } from '../logger';

/**
 * Watches one config file. It watches the file's folder rather than the file, so it keeps working when
 * an editor saves by writing a temporary file and renaming it over the original; events for any other
 * file in the folder are ignored. Bursts of events become one `onChange` call.
 */
export class ConfigWatcher implements Disposable {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly logger: Logger,
    private readonly debounceMs = 150,
  ) {}

  start(): void {
    if (this.watcher) return;
    const name = path.basename(this.file);
    try {
      this.watcher = watch(path.dirname(this.file), (_event, filename) => {
        if (filename === null || filename.toString() === name) this.schedule();
      });
      this.watcher.on('error', (error) => this.logger.warn(`Config watcher stopped: ${error.message}`));
    } catch (error) {
      this.logger.warn(`Cannot watch ${this.file}; edits need a restart: ${(error as Error).message}`);
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(), this.debounceMs);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
