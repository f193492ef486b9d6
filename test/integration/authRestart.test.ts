import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { ManualClock } from '../../src/core/clock';
import { FileSecretStore } from '../../src/core/secrets/fileSecretStore';
import { assertNoSecretLogged, authorizedClient, challengeViolations, connect, startAgent } from '../helpers/authHarness';

void it('keeps grants across a restart in the 0600 secrets file, as hashes only', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onemcp-auth-restart-'));
  const file = path.join(dir, 'secrets', 'agent-secrets.json');
  const clock = new ManualClock();
  const first = await startAgent({ dir, clock, secrets: new FileSecretStore(file) });
  const port = Number(first.mcpUrl.port);
  const { client, provider } = await authorizedClient(first, ['a']);
  await client.close();
  await first.close();

  if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  const stored = readFileSync(file, 'utf8');
  const tokens = provider.tokens();
  assert.ok(tokens?.refresh_token);
  assert.ok(!stored.includes(tokens.access_token) && !stored.includes(tokens.refresh_token), 'no token is stored in clear');
  assert.ok(stored.includes(createHash('sha256').update(tokens.access_token).digest('base64url')), 'the access token is stored as its hash');

  const second = await startAgent({ dir, clock, port, secrets: new FileSecretStore(file) });
  try {
    const again = await connect(second.mcpUrl, provider);
    assert.deepEqual((await again.listTools()).tools.map((t) => t.name), ['alpha_1mcp_whoami']);
    // The refresh token survived too: once the access token expires, the SDK refreshes against the new process.
    clock.advance(3_601_000);
    assert.deepEqual((await again.listTools()).tools.map((t) => t.name), ['alpha_1mcp_whoami']);
    assert.notEqual(provider.tokens()?.refresh_token, tokens.refresh_token);
    await again.close();
    assert.ok(second.agent.state.clients.some((c) => c.clientId === provider.clientId && c.authorized));
  } finally {
    await second.close();
  }
  assert.deepEqual(challengeViolations, []);
  assertNoSecretLogged();
});
