import { promises as fsp, readFileSync } from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** A bundle as its launcher knows it from the build: its file beside the launcher, and a hash of its bytes. */
export interface Bundle {
  readonly file: string;
  readonly hash: string;
}

/** Caches of other builds of a bundle untouched this long are deleted when a new one is made. */
const STALE_MS = 7 * 24 * 60 * 60_000;

/**
 * How long after a load without a usable cache the cache is made: by then the start is over, so the
 * functions it compiled on first call (most of a start's compiling) are in it, not only the bundle's top.
 */
const PRODUCE_AFTER_MS = 3_000;

export interface LoadOptions {
  /** The bundle runs as the process's main module (`require.main === module` holds in it). */
  readonly main?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly produceAfterMs?: number;
}

/** What was loaded, and what became of its cache: used, rejected by V8 (then made anew), missing (then made), or off. */
export interface LoadedBundle {
  readonly exports: unknown;
  readonly cache: 'used' | 'rejected' | 'missing' | 'off';
  /** When a cache is made: settles once it is written (or could not be); the wait keeps no process alive. */
  readonly produced?: Promise<void>;
}

/**
 * Loads `bundle` as a CommonJS module with a V8 code cache, and returns its exports. Node compiles a
 * module from source at every start (Node 20 has no compile cache); a bundle of several hundred KB
 * costs tens of milliseconds to parse and compile, a third of a start. The cache holds V8's compiled
 * code for the bundle, kept in the user's cache folder under the bundle's hash, so a new build never
 * meets an old cache; V8 checks the rest (its version, its flags) and rejects a cache that does not
 * fit. Without a usable cache, one is made {@link PRODUCE_AFTER_MS} after loading. Any failure of the
 * cache only costs the compiling it would have saved. `NODE_DISABLE_COMPILE_CACHE` turns it off.
 */
export function loadBundle(launcher: NodeJS.Module, bundle: Bundle, options: LoadOptions = {}): LoadedBundle {
  const file = path.join(path.dirname(launcher.filename), bundle.file);
  const cacheFile = codeCacheFile(bundle, options.env ?? process.env);
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    // The bundle's own import()s of Node's modules, as they would load in a module Node compiled
    // (Node before 20.12 has no constant for that: the launcher's own import() then does it).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier: string) => import(specifier)),
  });
  const loaded = new Module(file, launcher);
  loaded.filename = file;
  const require = Module.createRequire(file);
  if (options.main) require.main = loaded;
  (script.runInThisContext() as (...args: unknown[]) => void).call(loaded.exports, loaded.exports, require, loaded, file, path.dirname(file));
  loaded.loaded = true;
  if (cacheFile === undefined) return { exports: loaded.exports, cache: 'off' };
  const cache = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  if (cache === 'used') return { exports: loaded.exports, cache };
  const produced = new Promise<void>((resolve) => setTimeout(() => void produceCache(script, cacheFile).then(resolve), options.produceAfterMs ?? PRODUCE_AFTER_MS).unref());
  return { exports: loaded.exports, cache, produced };
}

/** Where this user's caches go: `%LOCALAPPDATA%`, `~/Library/Caches`, or `$XDG_CACHE_HOME` (`~/.cache`). */
export function userCacheFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), '1mcp', 'Cache');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', '1mcp');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), '1mcp');
}

/** The folder of the code caches. */
export function codeCacheFolder(env: NodeJS.ProcessEnv): string {
  return path.join(userCacheFolder(env), 'code-cache');
}

/** The cache of `bundle` for this V8 and architecture; undefined when caching is off. */
export function codeCacheFile(bundle: Bundle, env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  return path.join(codeCacheFolder(env), `${path.basename(bundle.file, '.js')}-${bundle.hash}-${process.arch}-${process.versions.v8}.bin`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache (readable by this user only) in one step, so a process reading it never sees half of one. */
async function produceCache(script: vm.Script, file: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fsp.writeFile(temporary, data, { mode: 0o600 });
    await fsp.rename(temporary, file);
    await removeStale(file);
  } catch {
    await fsp.rm(temporary, { force: true }).catch(() => undefined);
  }
}

/** Deletes the caches of other builds of the same bundle that no start has written for {@link STALE_MS}. */
async function removeStale(kept: string): Promise<void> {
  const folder = path.dirname(kept);
  const prefix = `${path.basename(kept).split('-')[0]}-`;
  for (const name of await fsp.readdir(folder)) {
    const other = path.join(folder, name);
    if (other === kept || !name.startsWith(prefix)) continue;
    const { mtimeMs } = await fsp.stat(other);
    if (Date.now() - mtimeMs > STALE_MS) await fsp.rm(other, { force: true });
  }
}
