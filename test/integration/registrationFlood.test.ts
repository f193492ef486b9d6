// Dynamic client registration cannot be used to fill the disk, the memory or the event loop: a flood
// from ten addresses of this machine against the built CLI (its secrets file, its RSS, its /health),
// and, in process with a manual clock, which clients that never got a grant are kept and for how long.
import assert from 'node:assert/strict';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REGISTRATION_LIMITS } from '../../src/core/auth/clientRegistration';
import { UNGRANTED_CLIENTS } from '../../src/core/auth/authStore';
import { DEFAULT_RATE_LIMIT } from '../../src/core/auth/authOptions';
import { authorizedClient, openAuthorizationPage, startAgent, startAuthorization, TestOAuthProvider, type Harness } from '../helpers/authHarness';
import { serveCli, type ServingCli } from '../helpers/cli';
import { tempDir, waitFor } from '../helpers/harness';
import { rawRequest } from '../helpers/loopback';

/** A registration at every limit, with metadata the agent does not keep on top (`logo_uri`, `contacts`). */
function largestRegistration(n: number): object {
  const L = REGISTRATION_LIMITS;
  return {
    client_name: `Flood ${n} `.padEnd(L.clientNameLength, 'n'),
    redirect_uris: Array.from({ length: L.redirectUris }, (_, i) => `http://127.0.0.1/cb/${i}/`.padEnd(L.redirectUriLength, 'u')),
    client_uri: 'https://flood.example/'.padEnd(L.clientUriLength, 'c'),
    scope: 's'.repeat(L.scopeLength),
    software_id: 'i'.repeat(L.wordLength),
    software_version: 'v'.repeat(L.wordLength),
    logo_uri: 'https://flood.example/'.padEnd(3000, 'l'),
    contacts: ['flood@example.com'],
  };
}

/** The ten addresses the flood comes from: 127.0.0.2 … 127.0.0.11 (all loopback, one /24). */
const ADDRESSES = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 2}`);

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  assert.ok(kb, 'no VmRSS for the agent');
  return Number(kb) / 1024;
}

describe('a flood of 1,000 registrations from ten addresses', { skip: process.platform !== 'linux' && 'reads the RSS from /proc' }, () => {
  let agent: ServingCli;
  let secretsFile: string;
  let base: string;

  before(async () => {
    const dir = await tempDir();
    const config = path.join(dir, 'mcp.json');
    await fs.writeFile(config, '{"mcpServers":{}}');
    const xdg = path.join(dir, 'xdg');
    secretsFile = path.join(xdg, '1mcp', 'agent-secrets.json');
    agent = await serveCli(config, { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_HOME: xdg }, ['--enable-auth']);
    base = new URL(agent.endpoint).origin;
  });
  after(() => agent?.stop());

  it('keeps the secrets file and the memory bounded, answers /health meanwhile, and keeps the newest clients', async (t) => {
    let flooding = true;
    const health: number[] = [];
    const polling = (async () => {
      while (flooding) health.push((await rawRequest(`${base}/health`)).status);
    })();
    const answers = await Promise.all(
      ADDRESSES.map(async (localAddress, a) => {
        const statuses: { status: number; body: string }[] = [];
        for (let i = 0; i < 100; i++) {
          const body = JSON.stringify(largestRegistration(a * 100 + i));
          statuses.push(await rawRequest(`${base}/register`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' }, body }));
        }
        return statuses;
      }),
    );
    flooding = false;
    await polling;

    const all = answers.flat();
    assert.equal(all.length, 1000);
    const registered = all.filter((a) => a.status === 201);
    const limited = all.filter((a) => a.status === 429);
    assert.equal(registered.length, DEFAULT_RATE_LIMIT.registrationsPerNetwork, 'ten addresses of one /24 share its limit');
    assert.equal(limited.length, 1000 - registered.length);
    assert.match(limited[0]?.body ?? '', /Too many requests from this network/);
    assert.ok(health.length > 0 && health.every((s) => s === 200), `/health answered ${health.join(', ')} during the flood`);

    const newest = (JSON.parse(registered.at(-1)?.body ?? '{}') as { client_id: string }).client_id;
    await waitFor(() => readFileSync(secretsFile, 'utf8').includes(newest), 'the newest registration to be saved');
    const stored = JSON.parse((JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>)['onemcp.auth.v1'] ?? '{}') as { clients: { clientId: string; clientName: string }[] };
    assert.equal(stored.clients.length, UNGRANTED_CLIENTS.max, 'only the newest clients that never got a grant are kept');
    assert.ok(!JSON.stringify(stored).includes('flood@example.com') && !JSON.stringify(stored).includes('llll'), 'metadata the agent does not use is not stored');
    const size = statSync(secretsFile).size;
    assert.ok(size < 1024 * 1024, `the secrets file holds ${size} bytes`);
    const rss = rssMiB(agent.child.pid ?? 0);
    t.diagnostic(`after the flood: secrets file ${(size / 1024).toFixed(0)} KB, agent RSS ${rss.toFixed(0)} MiB, ${health.length} /health answers meanwhile`);
    assert.ok(rss < 200, `the agent's RSS is ${rss.toFixed(0)} MiB`);

    // One more (from another network: this one has used its share), then stop at once: the write behind it is flushed on close.
    const last = await rawRequest(`${base}/register`, { method: 'POST', localAddress: '127.0.1.2', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Last', redirect_uris: ['http://127.0.0.1/last'] }) });
    assert.equal(last.status, 201, last.body);
    await agent.stop();
    assert.ok(readFileSync(secretsFile, 'utf8').includes((JSON.parse(last.body) as { client_id: string }).client_id), 'nothing registered is lost at close');
  });
});

describe('clients that never got a grant', () => {
  let h: Harness;
  const register = async (name: string): Promise<string> => {
    const answer = await rawRequest(`${h.base}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: name, redirect_uris: ['http://127.0.0.1/cb'] }) });
    assert.equal(answer.status, 201, answer.body);
    return (JSON.parse(answer.body) as { client_id: string }).client_id;
  };
  const known = (clientId: string) => h.agent.state.clients.some((c) => c.clientId === clientId);

  before(async () => {
    h = await startAgent({ auth: { rateLimit: { max: 1000, registrationsPerNetwork: 1000, registrationsOverall: 1000 }, approvalTimeout: 3 * 3600 } });
  });
  after(() => h.close());

  it('are kept an hour, or while their request waits for the user', async () => {
    const idle = await register('Idle');
    const waiting = new TestOAuthProvider('http://127.0.0.1:43125/callback', 'Waiting');
    await startAuthorization(h.mcpUrl, waiting);
    assert.ok(waiting.authorizationUrl);
    await openAuthorizationPage(waiting.authorizationUrl);
    h.clock.advance(UNGRANTED_CLIENTS.lifetimeMs);
    await register('Next');
    assert.ok(!known(idle), 'an hour after it registered, a client never granted is forgotten');
    assert.ok(known(waiting.clientId), 'one whose request waits for the user is kept');
    const page = await rawRequest(`${h.base}/authorize?client_id=${idle}&response_type=code`);
    assert.equal(page.status, 400);
    assert.match(page.body, /not registered with this 1MCP agent/);
  });

  it(`are at most ${UNGRANTED_CLIENTS.max}, the oldest forgotten first; granted clients and waiting requests stay`, async () => {
    const { client, provider: granted } = await authorizedClient(h, ['a']);
    await client.close();
    const waiting = h.agent.state.pendingApprovals.map((p) => p.clientId);
    assert.equal(waiting.length, 1, 'the request of the first test still waits');
    const ids: string[] = [];
    for (let i = 0; i < UNGRANTED_CLIENTS.max + 20; i++) ids.push(await register(`Client ${i}`));
    const clients = h.agent.state.clients;
    assert.ok(clients.some((c) => c.clientId === granted.clientId), 'the granted client stays');
    assert.ok(waiting.every(known), 'the client whose request waits stays');
    assert.deepEqual(ids.filter(known), ids.slice(-(UNGRANTED_CLIENTS.max - waiting.length)), 'the newest are kept');
    assert.equal(clients.filter((c) => !c.authorized && c.lastUsedAt === undefined).length, UNGRANTED_CLIENTS.max);
  });
});
