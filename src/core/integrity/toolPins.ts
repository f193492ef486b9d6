import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { systemClock, type Clock } from '../clock';
import { Emitter } from '../event';
import { HttpError } from '../httpError';
import { errorMessage, type Logger } from '../logger';
import type { PinFile, Pin, PinnedServers } from './pinFile';
import { canonicalText, definitionHash, pinnedDefinition, textHash, type ToolDefinition } from './toolDefinition';

/** Why a tool is held back: its definition differs from its pin, or it is new on a server already pinned. */
export type ToolChange = 'changed' | 'added';

/** A tool held back until the user accepts it; what `onemcp tools review` and the editor's diff show. */
export interface ToolReview {
  readonly server: string;
  /** The tool's own name (as its server gives it). */
  readonly tool: string;
  readonly change: ToolChange;
  /** The definition the user accepted before (a changed tool). */
  readonly pinned?: ToolDefinition;
  /** The definition the server offers now. */
  readonly offered: ToolDefinition;
  /** The hash of `offered`: accepting with it accepts exactly what was reviewed. */
  readonly hash: string;
  /** When it was first held back (epoch milliseconds). */
  readonly since: number;
}

/** How a reviewer is named in the log: "the terminal", "VS Code window “x”". */
export type Reviewer = string;

export interface ToolPinsOptions {
  /** Where pins persist; in memory only when absent. */
  readonly file?: PinFile;
  readonly logger: Logger;
  readonly clock?: Clock;
}

/**
 * What each server's tools were when the user accepted them, and the tools held back since. The first
 * time a configured server connects, its tools are accepted as they are (first sight); after that a
 * tool whose definition differs from its pin, or a new tool, is held back from every client until the
 * user accepts it. A tool the server no longer offers is simply gone, but its pin is kept: if it comes
 * back changed, it is held.
 */
export class ToolPins {
  private pins: PinnedServers = new Map();
  private readonly reviews = new Map<string, Map<string, ToolReview>>();
  private readonly changed = new Emitter<void>();
  /** The held tools or their reviews changed. */
  readonly onDidChange = this.changed.event;
  private readonly clock: Clock;

  constructor(private readonly options: ToolPinsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Reads the stored pins; a file that cannot be read leaves them in memory only (said in the log). */
  async load(): Promise<void> {
    if (!this.options.file) return;
    try {
      this.pins = await this.options.file.read();
    } catch (error) {
      this.options.logger.error(`Could not read tool pins from ${this.options.file.file}: ${errorMessage(error)}; pinning in memory until it can be written`);
    }
  }

  /**
   * What a connected server offers now. With `pinning` off (`"pinTools": false`) nothing is held and
   * nothing is pinned. Returns whether what is held changed.
   */
  observe(server: string, tools: readonly Tool[], pinning: boolean): boolean {
    if (!pinning) return this.forget(server);
    const pins = this.pins.get(server);
    if (!pins) {
      this.pins.set(server, new Map(tools.map((tool) => [tool.name, pinOf(canonicalText(pinnedDefinition(tool)))])));
      this.options.file?.save(new Map([[server, this.pins.get(server) ?? new Map()]]));
      this.options.logger.info(`[${server}] first connection: pinned its ${tools.length} tool definition${tools.length === 1 ? '' : 's'}`);
      return this.forget(server);
    }
    const before = this.reviews.get(server) ?? new Map<string, ToolReview>();
    const after = new Map<string, ToolReview>();
    for (const tool of tools) {
      const offered = pinnedDefinition(tool);
      const hash = definitionHash(offered);
      const pin = pins.get(tool.name);
      if (pin?.hash === hash) continue;
      const earlier = before.get(tool.name);
      if (earlier?.hash === hash) {
        after.set(tool.name, earlier);
        continue;
      }
      const review: ToolReview = { server, tool: tool.name, change: pin ? 'changed' : 'added', ...(pin && { pinned: JSON.parse(pin.text) as ToolDefinition }), offered, hash, since: earlier?.since ?? this.clock.now() };
      after.set(tool.name, review);
      this.options.logger.info(
        review.change === 'changed'
          ? `[${server}] tool "${tool.name}" changed since it was pinned: held back from every client until accepted ("onemcp tools review", or the notification in VS Code)`
          : `[${server}] offers a new tool "${tool.name}": held back from every client until accepted ("onemcp tools review", or the notification in VS Code)`,
      );
    }
    if (after.size === 0) this.reviews.delete(server);
    else this.reviews.set(server, after);
    const differs = before.size !== after.size || [...after].some(([name, review]) => before.get(name) !== review);
    if (differs) this.changed.fire();
    return differs;
  }

  /** Drops what is held for `server` (it is no longer configured, or pinning is off); whether anything was. */
  forget(server: string): boolean {
    if (!this.reviews.delete(server)) return false;
    this.changed.fire();
    return true;
  }

  /** The own names of the tools of `server` held back now. */
  held(server: string): ReadonlySet<string> {
    return new Set(this.reviews.get(server)?.keys());
  }

  /** Every tool held back, by server then tool. */
  pending(): ToolReview[] {
    return [...this.reviews.values()].flatMap((reviews) => [...reviews.values()]);
  }

  /**
   * Accepts held tools of `server` (all of them when `tools` is absent): their offered definitions
   * become their pins and clients see them again. `seen` maps a tool to the hash of the definition the
   * user reviewed: a tool that changed again since is refused (HttpError 409). HttpError 404 when a
   * named tool (or, without names, any tool of the server) is not held. Returns the names accepted.
   */
  accept(server: string, by: Reviewer, tools?: readonly string[], seen: Readonly<Record<string, string>> = {}): string[] {
    const reviews = this.reviews.get(server);
    const names = tools ?? [...(reviews?.keys() ?? [])];
    if (names.length === 0) throw new HttpError(404, 'not_found', `No tool of "${server}" is held back`);
    const accepted: ToolReview[] = [];
    for (const name of names) {
      const review = reviews?.get(name);
      if (!review) throw new HttpError(404, 'not_found', `Tool "${name}" of "${server}" is not held back`);
      const expected = seen[name];
      if (expected !== undefined && expected !== review.hash) {
        throw new HttpError(409, 'changed_again', `Tool "${name}" of "${server}" changed again since it was reviewed; review it again`);
      }
      accepted.push(review);
    }
    const pins = this.pins.get(server) ?? new Map<string, Pin>();
    for (const review of accepted) {
      pins.set(review.tool, { hash: review.hash, text: canonicalText(review.offered) });
      reviews?.delete(review.tool);
      this.options.logger.info(`[${server}] ${review.change === 'changed' ? 'changed' : 'new'} tool "${review.tool}" accepted by ${by}: clients see it again`);
    }
    this.pins.set(server, pins);
    if (reviews?.size === 0) this.reviews.delete(server);
    this.options.file?.save(new Map([[server, pins]]));
    this.changed.fire();
    return accepted.map((review) => review.tool);
  }

  /** Writes pins still waiting to be saved. */
  flush(): Promise<void> {
    return this.options.file?.flush() ?? Promise.resolve();
  }
}

function pinOf(text: string): Pin {
  return { hash: textHash(text), text };
}
