// Add Server from Registry in a real VS Code (code-server) against a local MCP Registry (v0.1, recorded
// entries): Add Server offers it first, the quick pick searches as one types, the remote's secret
// header goes to SecretStorage and the agent connects with it; a package's plain argument is written.
// One editor launch for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startRegistry, type RegistryFixture } from '../fixtures/registryServer';
import { startHttpBackend } from '../helpers/harness';
import { health, toolNames } from './harness/mcpClient';
import { freePort, screenshotAfter, startScenario, stopScenario, type Scenario } from './harness/scenario';
import { secretNowhere } from './harness/secrets';
import { e2eUnavailable } from './harness/tools';
import { acceptInput, answerInput, eventually, pickQuickItem, runCommand, screenshot, showBackendsView, treeRow } from './harness/workbench';

const TOKEN = `skyline-${Date.now().toString(36)}-e2e`;
const unavailable = e2eUnavailable();

describe('Add Server from Registry', { skip: unavailable }, () => {
  let s: Scenario;
  let port: number;
  let registry: RegistryFixture;
  let remote: Awaited<ReturnType<typeof startHttpBackend>>;
  const configFile = (): string => path.join(s.server.home, '.config', '1mcp', 'mcp.json');
  const rows = (): Promise<string[]> => s.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();

  before(async () => {
    remote = await startHttpBackend('skyline', { authorization: `Bearer ${TOKEN}` });
    registry = await startRegistry({ remoteUrl: remote.url });
    port = await freePort();
    s = await startScenario({ trusted: true, settings: { 'onemcp.port': port, 'onemcp.registryUrl': registry.url } });
  });
  afterEach((t) => screenshotAfter(s, 'registry', t.name));
  after(async () => {
    await stopScenario(s, 'registry');
    await registry?.close();
    await remote?.close();
  });

  test('Add Server offers the registry first; the search runs as one types and shows title, version and how it runs', async () => {
    await eventually('the agent', async () => (await health(port)) !== undefined);
    await showBackendsView(s.page);
    await runCommand(s.page, '1MCP: Add Server');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Command (stdio)' }).waitFor();
    assert.match((await rows())[0] ?? '', /From the MCP Registry/);
    await pickQuickItem(s.page, 'From the MCP Registry');
    await s.page.locator('.quick-input-widget input').fill('weath');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Stormwatch Alerts' }).waitFor();
    const found = await rows();
    assert.ok(found.some((r) => r.includes('Skyline Weather') && r.includes('v2.3.0') && r.includes('remote') && r.includes('Current conditions and forecasts')), found.join(' | '));
    assert.ok(found.some((r) => r.includes('Tidewater Marine Weather') && r.includes('PyPI')), found.join(' | '));
    assert.ok(found.some((r) => r.includes('Stormwatch Alerts') && r.includes('Docker')), found.join(' | '));
    assert.ok(!found.some((r) => r.includes('Everything')), 'only what matches');
    assert.ok(registry.requests.some((r) => r.startsWith('/v0.1/servers?search=weath&version=latest')));
    await screenshot(s.page, 'registry-01-search');
  });

  test('picking the remote asks for the name, tags and its token (a password box); the agent connects with it', async () => {
    await pickQuickItem(s.page, 'Skyline Weather');
    const name = s.page.locator('.quick-input-widget input');
    await eventually('the suggested name', async () => (await name.inputValue()) === 'weather');
    await acceptInput(s.page);
    await answerInput(s.page, 'web, forecast');
    const secret = s.page.locator('.quick-input-widget input[type="password"]');
    await secret.waitFor();
    assert.match(await s.page.locator('.quick-input-widget').innerText(), /skyline_token in Authorization \(secret\): API token from your Skyline account page/);
    await screenshot(s.page, 'registry-02-token');
    await secret.fill(TOKEN);
    await secret.press('Enter');

    await treeRow(s.page, 'weather: connected').waitFor();
    assert.ok((await toolNames(`http://127.0.0.1:${port}/mcp`)).includes('weather_1mcp_echo'));
    const config = JSON.parse(readFileSync(configFile(), 'utf8'));
    assert.deepEqual(config.mcpServers.weather, { type: 'http', url: remote.url, headers: { Authorization: 'Bearer ${input:weather-skyline_token}' }, tags: ['web', 'forecast'] });
    assert.equal(config.inputs[0].id, 'weather-skyline_token');
    await secretNowhere(s, TOKEN);
    await screenshot(s.page, 'registry-03-connected');
  });

  test('from the palette: a PyPI package; its plain argument is asked and written into the entry', async () => {
    await runCommand(s.page, '1MCP: Add Server from Registry…');
    await s.page.locator('.quick-input-widget input').fill('weather-at');
    await pickQuickItem(s.page, 'Tidewater Marine Weather');
    const name = s.page.locator('.quick-input-widget input');
    await eventually('the suggested name', async () => (await name.inputValue()) === 'weather-at-sea');
    await answerInput(s.page, 'tides');
    await answerInput(s.page, '');
    await eventually('the station prompt', async () => /argument station: NOAA station id/.test(await s.page.locator('.quick-input-widget').innerText()));
    await answerInput(s.page, '8443970');
    await treeRow(s.page, 'tides: ').waitFor();
    const entry = JSON.parse(readFileSync(configFile(), 'utf8')).mcpServers.tides;
    assert.deepEqual(entry, { command: 'uvx', args: ['--python', '3.12', 'tidewater-mcp==0.9.1', '8443970', '--units', 'metric'] });
  });
});
