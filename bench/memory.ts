/** Scenario 4: resident memory of the agent process, idle and with many open client sessions. */
import { setTimeout as sleep } from 'node:timers/promises';
import { openRawSession } from './clients';
import { echoCommand, rssMiB, startAgentProcess, waitForBackends } from './processes';

export interface MemoryResult {
  /** Agent process RSS in MiB with an empty config: what the agent itself holds. */
  readonly idleEmptyMiB: number;
  /** Agent process RSS in MiB with one stdio backend connected and no clients. */
  readonly idleMiB: number;
  readonly sessions: number;
  /** RSS in MiB once `sessions` client sessions are open. */
  readonly withSessionsMiB: number;
  readonly perSessionKiB: number;
}

const CONCURRENCY = 8;
/** Lets startup garbage and timers settle before reading RSS. */
const SETTLE_MS = 1_000;

/** Resident memory of the headless agent serving an empty config, once it has settled. */
async function idleEmptyMiB(): Promise<number> {
  const agent = await startAgentProcess({ mcpServers: {} });
  try {
    await sleep(SETTLE_MS);
    return await rssMiB(agent.pid);
  } finally {
    await agent.close();
  }
}

/**
 * Runs the headless agent with an empty config and reads its RSS; then with a small config, reads its
 * RSS, opens `sessions` sessions and reads it again.
 */
export async function benchMemory(sessions: number): Promise<MemoryResult> {
  const idleEmpty = await idleEmptyMiB();
  const agent = await startAgentProcess({ mcpServers: { echo: echoCommand() } });
  try {
    await waitForBackends(agent.url);
    await sleep(SETTLE_MS);
    const idleMiB = await rssMiB(agent.pid);
    const ids: string[] = [];
    let started = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (started < sessions) {
        started++;
        ids.push(await openRawSession(agent.url));
      }
    }));
    await sleep(SETTLE_MS);
    const withSessionsMiB = await rssMiB(agent.pid);
    return { idleEmptyMiB: idleEmpty, idleMiB, sessions: ids.length, withSessionsMiB, perSessionKiB: ((withSessionsMiB - idleMiB) * 1024) / ids.length };
  } finally {
    await agent.close();
  }
}
