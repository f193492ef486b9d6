// Runs the test suites with Node's test runner (TypeScript through tsx).
// Usage: node scripts/test.mjs [unit|integration|e2e ...]   (default: all suites)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

function testFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  }).sort();
}

let failed = false;
for (const suite of suites) {
  const files = testFiles(join('test', suite));
  if (files.length === 0) continue;
  console.log(`\n# ${suite}: ${files.length} files`);
  // e2e drives one real editor at a time; the others share two cores.
  const concurrency = suite === 'e2e' ? 1 : 2;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
