import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A backend process that could not be started. `permanent` when starting it again cannot help until the
 * config or the machine changes (a command that is not there, a folder that does not exist), so the
 * backend is not restarted on its own.
 */
export class SpawnError extends Error {
  constructor(message: string, readonly permanent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpawnError';
  }
}

/** What went wrong when spawning `command` with `env` in `cwd`, in words a user can act on. */
export function spawnError(error: NodeJS.ErrnoException, command: string, env: Readonly<Record<string, string>>, cwd: string | undefined): SpawnError {
  const options = { cause: error };
  if (error.code !== 'ENOENT' && error.code !== 'EACCES') return new SpawnError(error.message, false, options);
  // Node reports a missing working directory as a missing command.
  if (cwd !== undefined && !existsSync(cwd)) return new SpawnError(`working directory not found: ${cwd}`, true, options);
  if (error.code === 'EACCES') return new SpawnError(`command not executable: ${command} (permission denied)`, true, options);
  if (command.includes('/') || command.includes(path.sep)) return new SpawnError(`command not found: ${command} (no such file)`, true, options);
  const searched = searchPath(env);
  return new SpawnError(`command not found: ${command} (searched PATH=${searched || '(empty)'})`, true, options);
}

/** The PATH a child is started with (`Path` on Windows, whatever the case). */
function searchPath(env: Readonly<Record<string, string>>): string {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key === undefined ? '' : (env[key] ?? '');
}
