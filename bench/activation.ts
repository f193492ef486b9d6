/**
 * Activation -> agent shown running in a real VS Code, as the extension logs it ("Agent listening N ms
 * after activation (serving; code cache used)") in the logs the last e2e run kept
 * (test-results/e2e/<scenario>-1MCP.log): the bench does not start an editor of its own. A following
 * window shows the agent from its `/health` first, then its whole state ("Agent's whole state shown"). Every
 * activation counts: the first of each scenario's editor, those after a window reload, and the windows
 * that follow another. A window serves (it got the port and listens) or follows (it shows the state of
 * the window that serves); its bundle was compiled with its code cache (warm) or from source (cold:
 * the first start of a build). Each line also names how long the extension host's turn that called
 * `activate()` took (the other extensions activating with this one), before which no bind's outcome can
 * be seen; what comes after it is the extension's own. A window opened beside a serving one shows the
 * agent from that window's note before its turn is over ("before the host's turn ended"), so the split
 * is a serving window's.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { median } from './measure';

const E2E_RESULTS = path.resolve(__dirname, '..', 'test-results', 'e2e');
const LISTENING = /Agent listening ([\d.]+) ms after activation(?: \((serving|following); code cache (\w+)(?:; (?:host's turn ([\d.]+) ms|before the host's turn ended))?\))?/g;
const WHOLE_STATE = /Agent's whole state shown ([\d.]+) ms after activation \(following\)/g;

export interface Activations {
  readonly medianMs: number;
  readonly minMs: number;
  readonly count: number;
}

export interface ActivationResult {
  /** Windows that serve the agent. */
  readonly serving?: Activations;
  /** Windows that follow the one that serves: shown from its `/health`, then whole (its control channel open). */
  readonly following?: Activations;
  readonly followingWhole?: Activations;
  /**
   * A serving window's time split: the extension host's turn that activated it (its other extensions
   * activating), before which no bind's outcome can be known, and what came after it, its own.
   */
  readonly servingHostTurn?: Activations;
  readonly servingOwn?: Activations;
  /** Every activation, by whether the bundle's code cache was used (`warm`) or not (`cold`). */
  readonly warm?: Activations;
  readonly cold?: Activations;
  readonly logs: number;
  /** When the newest of those logs was written. */
  readonly newestLog: Date;
}

interface Activation {
  readonly ms: number;
  readonly role?: string;
  readonly cache?: string;
  readonly hostTurnMs?: number;
}

function summary(activations: readonly Activation[]): Activations | undefined {
  if (activations.length === 0) return undefined;
  const times = activations.map((a) => a.ms);
  return { medianMs: median(times), minMs: Math.min(...times), count: times.length };
}

/** The activations in the e2e logs, or undefined when there are none (the e2e suite has not run here). */
export async function readActivations(): Promise<ActivationResult | undefined> {
  const names = await fs.readdir(E2E_RESULTS).catch(() => [] as string[]);
  const logs = await Promise.all(names.filter((n) => n.endsWith('-1MCP.log')).map(async (n) => {
    const file = path.join(E2E_RESULTS, n);
    return { text: await fs.readFile(file, 'utf8'), written: (await fs.stat(file)).mtime };
  }));
  // A line without role and cache is an older build's: it counts as cold, for neither role.
  const all: Activation[] = logs.flatMap((log) => [...log.text.matchAll(LISTENING)].map((m) => ({ ms: Number(m[1]), role: m[2], cache: m[3], hostTurnMs: m[4] === undefined ? undefined : Number(m[4]) })));
  if (all.length === 0) return undefined;
  const turns = all.filter((a): a is Activation & { readonly hostTurnMs: number } => a.role === 'serving' && a.hostTurnMs !== undefined);
  return {
    serving: summary(all.filter((a) => a.role === 'serving')),
    following: summary(all.filter((a) => a.role === 'following')),
    followingWhole: summary(logs.flatMap((log) => [...log.text.matchAll(WHOLE_STATE)].map((m) => ({ ms: Number(m[1]) })))),
    servingHostTurn: summary(turns.map((a) => ({ ms: a.hostTurnMs }))),
    servingOwn: summary(turns.map((a) => ({ ms: a.ms - a.hostTurnMs }))),
    warm: summary(all.filter((a) => a.cache === 'used')),
    cold: summary(all.filter((a) => a.cache !== 'used')),
    logs: logs.length,
    newestLog: new Date(Math.max(...logs.map((l) => l.written.getTime()))),
  };
}
