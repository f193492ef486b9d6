// The MCP conformance suite's resource scenarios (`@modelcontextprotocol/conformance`, which needs
// Node >= 22: the Node 24 of the e2e set-up) against the agent, with the backend that offers what they
// read under its default prefix: resource URIs pass through as the server named them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { NODE24_BIN, node24Unavailable } from '../e2e/harness/tools';
import { everythingEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';

const run = promisify(execFile);
const skip = node24Unavailable();
const CONFORMANCE = path.resolve(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const SCENARIOS = path.resolve(__dirname, '..', 'fixtures', 'resourceScenarios.ts');

/**
 * The scenarios that read resources. `tools-call-embedded-resource` and `prompts-get-embedded-resource`
 * call a tool and a prompt by their bare names (`test_embedded_resource`), which the agent exposes under
 * the server's prefix: they pass only with `"prefix": ""`.
 */
const RESOURCE_SCENARIOS = ['resources-list', 'resources-read-text', 'resources-read-binary', 'resources-templates-read', 'resources-subscribe', 'resources-unsubscribe'];

void describe('the MCP conformance suite, resource scenarios, through the agent', { skip }, () => {
  let running: RunningAgent;

  before(async () => {
    running = await startAgent({
      mcpServers: { scenarios: { command: process.execPath, args: ['--import', 'tsx', SCENARIOS] }, everything: everythingEntry() },
    });
    await settled(running.agent);
  });
  after(() => running?.close());

  for (const scenario of RESOURCE_SCENARIOS) {
    void it(scenario, async () => {
      const { stdout } = await run(path.join(NODE24_BIN, 'node'), [CONFORMANCE, 'server', '--url', running.url, '--scenario', scenario], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }).catch(
        (error: { stdout?: string; stderr?: string }) => assert.fail(`${scenario} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`),
      );
      assert.match(stdout, /Passed: (\d+)\/\1, 0 failed/);
    });
  }
});
