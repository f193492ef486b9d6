/**
 * `npm run package`: the production bundles, packed by vsce into the .vsix (no node_modules), then held
 * to the size budget of scripts/sizeBudget.ts: a file over it fails the command, named with its size.
 * Usage: node --import tsx scripts/package.ts [--out <file.vsix>]   (default: onemcp-agent.vsix)
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatKb, measureSizes, overBudget } from './sizeBudget';

const ROOT = path.resolve(__dirname, '..');
const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(args: readonly string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const { values } = parseArgs({ options: { out: { type: 'string', default: 'onemcp-agent.vsix' } } });
const out = path.resolve(values.out);
run(['scripts/build.mjs', '--production']);
// The README's links stay as written (the package declares no repository to rewrite them against).
run([VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);

const sizes = measureSizes(ROOT, out);
const failures = overBudget(sizes);
if (failures.length > 0) {
  process.stderr.write(`Over the size budget (scripts/sizeBudget.ts; node scripts/build.mjs --production --metafile writes what each bundle holds):\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`Size budget: ${sizes.map((s) => `${s.file} ${formatKb(s.bytes)} of ${formatKb(s.budget)}`).join(', ')}\n`);
