import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomically } from '../atomicWrite';
import { CoalescedWrite } from '../coalescedWrite';
import type { AgentState, ServedBy } from '../state/agentState';
import type { AgentHealth } from './agentProbe';

/**
 * What the window that serves the agent leaves in the windows' shared folder (`serving.json`, this user
 * only) for a window that opens meanwhile: who serves, where, and the backends as `/health` tells them.
 * The new window reads it at once when it finds the port taken, and shows the agent from it while it
 * asks the agent itself, whose answer waits for both extension hosts' event loops, busy while a window
 * starts. Nothing in it is secret; the control channel brings the rest.
 */
export interface ServingNote {
  readonly host: string;
  readonly port: number;
  readonly servedBy: ServedBy;
  readonly backends: AgentHealth['backends'];
}

/** Keeps the note of the agent this process serves up to date, a burst of changes at a time; removes it when it stops. */
export class ServingNoteWriter {
  private latest?: ServingNote;
  private readonly writes = new CoalescedWrite(async () => {
    const note = this.latest;
    if (!note) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomically(this.file, JSON.stringify(note), 0o600);
  });

  constructor(private readonly file: string) {}

  /** Notes `state` (written behind; a failure only costs a following window its head start). */
  update(state: AgentState): void {
    if (state.phase !== 'running' || !state.servedBy) return;
    const backends = state.backends.map((b) => ({ name: b.name, type: b.type, status: b.status, reason: b.reason, tools: b.tools.length }));
    this.latest = { host: state.host, port: state.port, servedBy: state.servedBy, backends };
    void this.writes.request().catch(() => undefined);
  }

  /** Removes the note once the writes under way are done, unless another process has written its own since. */
  async remove(): Promise<void> {
    const mine = this.latest;
    this.latest = undefined;
    await this.writes.flushed();
    if (mine && readServingNote(this.file, mine.host, mine.port)?.servedBy.pid === mine.servedBy.pid) await fs.rm(this.file, { force: true });
  }
}

/**
 * The note of the agent on host:port, read at once (the file is small, and this runs on the way to
 * showing the agent); undefined when there is none, it is of another port, or the process that wrote it
 * is gone.
 */
export function readServingNote(file: string, host: string, port: number): ServingNote | undefined {
  try {
    const note = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServingNote>;
    const by = note.servedBy;
    if (note.host !== host || note.port !== port || !by || typeof by.pid !== 'number' || typeof by.label !== 'string' || !Array.isArray(note.backends)) return undefined;
    process.kill(by.pid, 0);
    return note as ServingNote;
  } catch {
    return undefined;
  }
}
