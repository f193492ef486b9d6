// One running editor shared by the tests of a scenario file: code-server + Chromium + the agent's port.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort, startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { RESULTS_DIR, ROOT } from './tools';
import { extensionLog, openWorkbench, screenshot } from './workbench';

export interface Scenario {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
}

const SERVERS = path.join(ROOT, 'node_modules', '@modelcontextprotocol');

/** Config entries for the published reference servers and the test fixture, run with this Node. */
export const backends = {
  everything: { command: process.execPath, args: [path.join(SERVERS, 'server-everything', 'dist', 'index.js'), 'stdio'] },
  memory: { command: process.execPath, args: [path.join(SERVERS, 'server-memory', 'dist', 'index.js')] },
  secret: { command: process.execPath, args: [path.join(ROOT, 'test', 'fixtures', 'secretServer.mjs')] },
  pid: { command: process.execPath, args: [path.join(ROOT, 'test', 'fixtures', 'pidServer.mjs')] },
};

export async function startScenario(options: CodeServerOptions): Promise<Scenario> {
  const server = await startCodeServer(options);
  try {
    const { browser, page } = await openWorkbench(server.url);
    return { server, browser, page };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Closes the browser and the editor, keeping the extension's log under test-results/ as an artifact. */
export async function stopScenario(scenario: Scenario | undefined, name: string): Promise<void> {
  if (scenario) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(path.join(RESULTS_DIR, `${name}-1MCP.log`), extensionLog(scenario.server.userDataDir));
  }
  await scenario?.browser.close().catch(() => undefined);
  await scenario?.server.stop();
}

export { freePort };

export async function screenshotAfter(scenario: Scenario | undefined, prefix: string, testName: string): Promise<void> {
  const slug = testName.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-$/, '');
  if (scenario) await screenshot(scenario.page, `${prefix}-after-${slug}`).catch(() => undefined);
}
