// Names a client or a config chooses are looked up as names, never as what every JavaScript object
// inherits: `?preset=constructor` is an unknown preset (400), in both eras and on /sse, with a token or
// without one, from the network too, and it leaves no stack trace in the log.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INITIALIZE, logLines, startAgent as startAuthAgent, type Harness } from '../helpers/authHarness';
import { fixtureEntry, settled, startAgent, tempDir, type RunningAgent } from '../helpers/harness';
import { neighbourAddress, rawRequest, type RawAnswer } from '../helpers/loopback';
import { envelope, MODERN } from '../helpers/modernClient';

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const MODERN_LIST = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: envelope() } });
const neighbour = neighbourAddress();

/** The three ways a client names its selection, each with `?preset=<name>`, from `localAddress` (this machine when absent). */
async function askForPreset(mcp: URL, name: string, localAddress?: string): Promise<{ handshake: RawAnswer; modern: RawAnswer; sse: RawAnswer }> {
  const at = (pathname: string): URL => new URL(`${pathname}?preset=${encodeURIComponent(name)}`, mcp);
  const host = { host: `127.0.0.1:${mcp.port}` };
  return {
    handshake: await rawRequest(at('/mcp'), { method: 'POST', localAddress, headers: { ...MCP_HEADERS, ...host }, body: JSON.stringify(INITIALIZE) }),
    modern: await rawRequest(at('/mcp'), { method: 'POST', localAddress, headers: { ...MCP_HEADERS, ...host, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' }, body: MODERN_LIST }),
    sse: await rawRequest(at('/sse'), { localAddress, headers: { accept: 'text/event-stream', ...host } }),
  };
}

function assertUnknownPreset(answers: { [era: string]: RawAnswer }, name: string): void {
  for (const [era, answer] of Object.entries(answers)) {
    assert.equal(answer.status, 400, `${era} ?preset=${name}: ${answer.body}`);
    assert.match(answer.body, new RegExp(`Unknown preset \\\\"${name}\\\\"`), `${era} ?preset=${name}`);
  }
}

describe('names that every object inherits', () => {
  describe('without client authorization', () => {
    let running: RunningAgent;
    before(async () => {
      const presets = { constructor: ['a'] };
      running = await startAgent({ mcpServers: { alpha: fixtureEntry('alpha', { tags: ['a'] }), beta: fixtureEntry('beta', { tags: ['b'] }) }, presets });
      await settled(running.agent);
    });
    after(() => running?.close());

    it('are presets only where the config defines them', async () => {
      const own = await rawRequest(`${running.url}?preset=constructor`, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
      assert.equal(own.status, 200, 'the config defines a preset named "constructor"');
      for (const name of PROTOTYPE_NAMES.filter((n) => n !== 'constructor')) assertUnknownPreset(await askForPreset(new URL(running.url), name), name);
      assert.ok(!running.logs.some((line) => /\s+at\s|failed:/.test(line)), running.logs.filter((line) => /\s+at\s|failed:/.test(line)).join('\n'));
    });
  });

  describe('with client authorization, from the network', { skip: neighbour ? false : 'this machine has no non-loopback IPv4 address' }, () => {
    let h: Harness;
    let dir: string;
    before(async () => {
      dir = await tempDir();
      const configPath = path.join(dir, 'mcp.json');
      await fs.writeFile(configPath, JSON.stringify({ mcpServers: { alpha: fixtureEntry('alpha', { tags: ['a'] }) }, presets: { dev: ['a'] } }));
      h = await startAuthAgent({ options: { host: '0.0.0.0', configPath } });
    });
    after(async () => {
      await h?.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('answer 400 "unknown preset" before asking for a token, and log nothing of it', async () => {
      const network = new URL(`http://${neighbour ?? ''}:${h.mcpUrl.port}/mcp`);
      const linesBefore = logLines.length;
      for (const name of PROTOTYPE_NAMES) {
        const answers = await askForPreset(network, name, neighbour);
        assertUnknownPreset(answers, name);
        assert.match(answers.handshake.body, /"jsonrpc":"2\.0"/);
        assert.match(answers.handshake.body, /known: dev/);
      }
      const logged = logLines.slice(linesBefore);
      assert.ok(!logged.some((line) => /\s+at\s|failed:|TypeError/.test(line)), logged.join(''));
      const valid = await rawRequest(new URL('/mcp?preset=dev', network), { method: 'POST', localAddress: neighbour, headers: { ...MCP_HEADERS, host: `127.0.0.1:${network.port}` }, body: JSON.stringify(INITIALIZE) });
      assert.equal(valid.status, 401, 'a known preset still needs a token');
    });
  });
});
