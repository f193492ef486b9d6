/**
 * The size budget (DESIGN.md "Performance budget"): what a user downloads, and what every window and
 * every CLI start parses. `npm run package` fails when a file passes its budget; `npm run bench`
 * reports the sizes beside it. A KB here is 1,000 bytes.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';

const KB = 1000;

/** The bundles, relative to the project root, and their budgets in bytes. */
const BUNDLE_BUDGETS: Readonly<Record<string, number>> = {
  'dist/extension.bundle.js': 1000 * KB,
  'dist/cli.bundle.js': 1000 * KB,
  // The launchers VS Code and `onemcp` run (src/launch/): they only load a bundle with its code cache.
  'dist/extension.js': 5 * KB,
  'dist/cli.js': 5 * KB,
  'dist/proxy.js': 1000 * KB,
  'dist/mcp-client-v2.js': 1000 * KB,
  'dist/json-schema.js': 1000 * KB,
  'dist/otel.js': 1000 * KB,
};
const VSIX_BUDGET = 700 * KB;

export interface FileSize {
  /** As the messages name it: the .vsix by its name, a bundle by its path in the project. */
  readonly file: string;
  readonly bytes: number;
  readonly budget: number;
}

/** The size of `vsix` and of each bundle under `root`, with its budget. */
export function measureSizes(root: string, vsix: string): FileSize[] {
  const sized = (file: string, name: string, budget: number): FileSize => ({ file: name, bytes: statSync(path.resolve(root, file)).size, budget });
  return [sized(vsix, path.basename(vsix), VSIX_BUDGET), ...Object.entries(BUNDLE_BUDGETS).map(([file, budget]) => sized(file, file, budget))];
}

export function formatKb(bytes: number): string {
  return `${Math.round(bytes / KB).toLocaleString('en-US')} KB`;
}

/** One message per file over its budget, naming the file, its size and its budget. */
export function overBudget(sizes: readonly FileSize[]): string[] {
  return sizes
    .filter((s) => s.bytes > s.budget)
    .map((s) => `${s.file} is ${formatKb(s.bytes)} (${s.bytes.toLocaleString('en-US')} bytes), over its budget of ${formatKb(s.budget)}`);
}
