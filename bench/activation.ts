/**
 * Activation -> agent listening in a real VS Code, as the extension logs it ("Agent listening N ms
 * after activation") in the logs the last e2e run kept (test-results/e2e/<scenario>-1MCP.log): the bench
 * does not start an editor of its own. Every activation counts, the first of each scenario's editor and
 * those after a window reload.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { median } from './measure';

const E2E_RESULTS = path.resolve(__dirname, '..', 'test-results', 'e2e');
const LISTENING = /Agent listening ([\d.]+) ms after activation/g;

export interface ActivationResult {
  readonly medianMs: number;
  readonly minMs: number;
  readonly activations: number;
  readonly logs: number;
  /** When the newest of those logs was written. */
  readonly newestLog: Date;
}

/** The activations in the e2e logs, or undefined when there are none (the e2e suite has not run here). */
export async function readActivations(): Promise<ActivationResult | undefined> {
  const names = await fs.readdir(E2E_RESULTS).catch(() => [] as string[]);
  const logs = await Promise.all(names.filter((n) => n.endsWith('-1MCP.log')).map(async (n) => {
    const file = path.join(E2E_RESULTS, n);
    return { text: await fs.readFile(file, 'utf8'), written: (await fs.stat(file)).mtime };
  }));
  const times = logs.flatMap((log) => [...log.text.matchAll(LISTENING)].map((m) => Number(m[1])));
  if (times.length === 0) return undefined;
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    activations: times.length,
    logs: logs.length,
    newestLog: new Date(Math.max(...logs.map((l) => l.written.getTime()))),
  };
}
