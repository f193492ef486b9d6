// Builds the .vsix the e2e suite installs: exactly what `npm run package` produces for users.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { RESULTS_DIR, ROOT } from './tools';

const VSIX = path.join(RESULTS_DIR, 'onemcp-agent.vsix');
const SOURCES = ['src', 'webview', 'media', 'scripts', 'package.json', 'README.md', '.vscodeignore'];

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** The packaged extension, rebuilt when any source is newer than the last package (e2e files run one after another). */
export function packagedVsix(): string {
  const sourcesChanged = !existsSync(VSIX) || SOURCES.some((s) => existsSync(path.join(ROOT, s)) && newestMtime(path.join(ROOT, s)) > statSync(VSIX).mtimeMs);
  if (!sourcesChanged) return VSIX;
  mkdirSync(RESULTS_DIR, { recursive: true });
  // `npm run package` itself, size budget included.
  const pack = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--out', VSIX], { cwd: ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm run package failed:\n${pack.stdout}\n${pack.stderr}`);
  return VSIX;
}
