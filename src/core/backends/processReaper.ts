import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A watchdog that outlives this process: it is told the process group of every stdio backend, and when
 * this process goes away without ending them (a crash, SIGKILL of the extension host) its stdin reaches
 * end-of-file and it ends the groups left (SIGTERM, then SIGKILL a second later). A small `sh` loop,
 * started with the first backend, in its own process group; it never keeps this process alive.
 * POSIX only: on Windows the backends' `taskkill /T` on close is all there is.
 */
const SCRIPT = [
  'groups=""',
  'while IFS= read -r line; do',
  '  case "$line" in',
  '    +*) groups="$groups ${line#+}" ;;',
  '    -*) gone=${line#-}; rest=""; for g in $groups; do [ "$g" = "$gone" ] || rest="$rest $g"; done; groups=$rest ;;',
  '  esac',
  'done',
  '[ -z "$groups" ] && exit 0',
  // A negative pid is the group; dash's kill takes no `--`.
  'for g in $groups; do kill -TERM "-$g" 2>/dev/null; done',
  'sleep 1',
  'for g in $groups; do kill -KILL "-$g" 2>/dev/null; done',
].join('\n');

class ProcessReaper {
  private child?: ChildProcess;

  /** Ends process group `pgid` if this process dies first. */
  watch(pgid: number): void {
    this.send(`+${pgid}`);
  }

  /** The group ended normally: forget it (its id may be reused). */
  release(pgid: number): void {
    this.send(`-${pgid}`);
  }

  private send(line: string): void {
    if (process.platform === 'win32') return;
    const stdin = this.started()?.stdin;
    if (stdin && !stdin.destroyed) stdin.write(`${line}\n`);
  }

  private started(): ChildProcess | undefined {
    if (this.child) return this.child;
    try {
      const child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      child.once('error', () => undefined);
      child.stdin?.on('error', () => undefined);
      child.once('exit', () => {
        if (this.child === child) this.child = undefined;
      });
      child.unref();
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      this.child = child;
    } catch {
      return undefined;
    }
    return this.child;
  }
}

/** The one reaper of this process. */
export const processReaper = new ProcessReaper();
