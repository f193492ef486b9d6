/**
 * What users download and every start parses: `npm run package` into test-results/bench/, then the
 * size of the .vsix and of each bundle beside its budget (scripts/sizeBudget.ts). A file over its budget
 * is reported here, not an error (the package command itself fails on it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { measureSizes, type FileSize } from '../scripts/sizeBudget';

const ROOT = path.resolve(__dirname, '..');

export function benchSizes(): FileSize[] {
  const out = path.join(ROOT, 'test-results', 'bench', 'onemcp-agent.vsix');
  mkdirSync(path.dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const pack = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(out)) throw new Error(`npm run package failed:\n${pack.stdout}\n${pack.stderr}`);
  return measureSizes(ROOT, out);
}
