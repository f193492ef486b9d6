// A network peer cannot take every connection: it holds at most its share, the network together all
// but the room kept for loopback, and a connection of its that stays silent is closed until it shows
// a valid token. Meanwhile this machine is served. Real sockets from this machine's own network
// address (a neighbour, as the agent sees it); the bounds are set low through the agent's options.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AgentOptions } from '../../src/core/agent';
import { authorizedClient, startAgent as startAuthAgent, TestOAuthProvider, type Harness } from '../helpers/authHarness';
import { fixtureEntry, tempDir, waitFor } from '../helpers/harness';
import { neighbourAddress, rawRequest } from '../helpers/loopback';
import { envelope, MODERN } from '../helpers/modernClient';

const neighbour = neighbourAddress() ?? '';
const skip = neighbour ? false : 'this machine has no non-loopback IPv4 address to connect from';
const IDLE_SOCKETS = 300;

/** Opens `count` TCP connections from the neighbour's address that send nothing; counts those the agent closes. */
async function idleSockets(port: number, count: number): Promise<{ readonly closed: () => number; destroy(): void }> {
  const sockets: net.Socket[] = [];
  let closed = 0;
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve) => {
    const socket = net.connect({ host: neighbour, port, localAddress: neighbour }, resolve);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      closed++;
      resolve();
    });
    sockets.push(socket);
  })));
  return { closed: () => closed, destroy: () => sockets.forEach((s) => s.destroy()) };
}

/** An agent with client authorization on every interface, serving the fixture (tag a), with these options. */
async function startNetworkAgent(options: Partial<AgentOptions>): Promise<Harness & { dispose(): Promise<void> }> {
  const dir = await tempDir();
  const configPath = path.join(dir, 'mcp.json');
  await fs.writeFile(configPath, JSON.stringify({ mcpServers: { alpha: fixtureEntry('alpha', { tags: ['a'] }) } }));
  const h = await startAuthAgent({ options: { host: '0.0.0.0', configPath, ...options } });
  return { ...h, dispose: async () => {
    await h.close();
    await fs.rm(dir, { recursive: true, force: true });
  } };
}

describe('connection limits', { skip }, () => {
  describe('per peer and overall', () => {
    let perPeer: Harness & { dispose(): Promise<void> };
    let overall: Harness & { dispose(): Promise<void> };
    before(async () => {
      const quiet = { unauthenticatedIdleMs: 10 * 60_000 };
      perPeer = await startNetworkAgent({ limits: { ...quiet, connectionsPerPeer: 16 } });
      overall = await startNetworkAgent({ limits: { ...quiet, connectionsPerPeer: 1000, connections: 64, loopbackReserve: 8 } });
    });
    after(async () => {
      await perPeer?.dispose();
      await overall?.dispose();
    });

    for (const [label, agent, held] of [['its own share', () => perPeer, 16], ['all the network may hold', () => overall, 56]] as const) {
      it(`keeps ${held} idle connections of one neighbour (${label}), refuses its next, and serves loopback meanwhile`, async () => {
        const h = agent();
        const port = Number(h.mcpUrl.port);
        const sockets = await idleSockets(port, IDLE_SOCKETS);
        try {
          await waitFor(() => sockets.closed() >= IDLE_SOCKETS - held, `the agent to close all but ${held} of ${IDLE_SOCKETS} connections`);
          assert.equal(sockets.closed(), IDLE_SOCKETS - held, `it holds ${held}`);
          await assert.rejects(rawRequest(`http://${neighbour}:${port}/health`, { localAddress: neighbour }), 'a further connection of the neighbour is closed at once');
          for (let i = 0; i < 5; i++) {
            const health = await rawRequest(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } });
            assert.equal(health.status, 200, 'loopback is served');
          }
        } finally {
          sockets.destroy();
        }
        await waitFor(async () => (await rawRequest(`http://${neighbour}:${port}/health`, { localAddress: neighbour }).catch(() => undefined))?.status === 200, 'the neighbour to be served again once its connections are gone');
      });
    }
  });

  describe('before a token', () => {
    let h: Harness & { dispose(): Promise<void> };
    let token: string;
    before(async () => {
      h = await startNetworkAgent({ limits: { unauthenticatedIdleMs: 300 } });
      const network = new URL(`http://${neighbour}:${h.mcpUrl.port}/mcp`);
      // A client on another machine returns to a redirect URI of its own, never to loopback.
      const { client, provider } = await authorizedClient(h, ['a'], network, new TestOAuthProvider('com.example.onemcp-test:/callback', 'Network client'));
      await client.close();
      token = provider.tokens()?.access_token ?? '';
    });
    after(() => h?.dispose());

    it("closes a neighbour's silent connection, but not one whose request carried a valid token, however long its call", async () => {
      const port = Number(h.mcpUrl.port);
      const silent = await idleSockets(port, 1);
      await waitFor(() => silent.closed() === 1, 'the silent connection to be closed');
      // A call that keeps its connection silent three times as long as the bound, on a fresh connection:
      // a stateless request (the path beside Express) and a session-opening one with a query (Express).
      const wait = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'alpha_1mcp_wait', arguments: { steps: 1, stepMs: 900 }, _meta: envelope() } };
      for (const pathname of ['/mcp', '/mcp?mode=all']) {
        const answer = await rawRequest(`http://${neighbour}:${port}${pathname}`, {
          method: 'POST',
          localAddress: neighbour,
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', connection: 'close', authorization: `Bearer ${token}`, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'alpha_1mcp_wait' },
          body: JSON.stringify(wait),
        });
        assert.equal(answer.status, 200, `${pathname}: ${answer.body}`);
        assert.match(answer.body, /waited 1 steps/);
      }
    });
  });
});
