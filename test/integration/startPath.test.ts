import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILT_CLI, tempDir, waitFor } from '../helpers/harness';
import { INITIALIZE } from '../helpers/authHarness';
import { freePort } from '../helpers/ports';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_CLI = path.join(ROOT, 'src', 'cli.ts');

/**
 * Runs `onemcp serve` (`entry`: the source through tsx, or the built launcher) with an empty config until
 * it answers `initialize`, then `visit`s it, stops it with SIGTERM, and returns every module file it had
 * loaded (Node's require cache when it exits), relative to the project root.
 */
async function modulesLoaded(dir: string, entry: readonly string[], visit: (base: string) => Promise<void> = async () => undefined): Promise<string[]> {
  const config = path.join(dir, 'mcp.json');
  const loaded = path.join(dir, `loaded-${Date.now()}.txt`);
  const recorder = path.join(dir, 'recordModules.cjs');
  await fs.writeFile(config, '{ "mcpServers": {} }');
  await fs.writeFile(recorder, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, Object.keys(require.cache).join('\\n')));`);
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', recorder, ...entry, 'serve', '--config', config, '--port', String(port), '--log-level', 'error'], {
    env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const base = `http://127.0.0.1:${port}`;
    const initialize = (): Promise<Response | false> =>
      fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(INITIALIZE) }).catch(() => false as const);
    const answer = await waitFor(async () => { const response = await initialize(); return response && response.ok && response; }, 'the agent to answer initialize', 120_000);
    await answer.text();
    await visit(base);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return (await fs.readFile(loaded, 'utf8')).split('\n').map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
}

// What a start must not load: what only some requests, commands or backends use sits behind a lazy
// boundary (CONTRIBUTING, "The start path"), and a static import from anything a start runs would put
// its cost back into every start of the CLI and every window's activation.
describe('the start path: serving a client loads nothing behind a lazy boundary', () => {
  let dir: string;
  before(async () => (dir = await tempDir()));
  after(() => fs.rm(dir, { recursive: true, force: true }));

  const BEHIND_A_BOUNDARY: readonly [string, RegExp][] = [
    ['the legacy SSE route', /^src\/core\/http\/sseRoute\.ts$/],
    ['the activity route', /^src\/core\/http\/activityRoute\.ts$/],
    ['the windows\' control route', /^src\/core\/http\/control\//],
    ['the OAuth endpoints and the dashboard', /^src\/core\/http\/oauth\/(oauthRoutes|dashboardRoute|authorizeRoute|tokenRoute|registerRoute)\.ts$/],
    ['the SDK v2 client', /^src\/core\/backends\/modernSdk\.ts$|@modelcontextprotocol\/client\//],
    ['Ajv', /^src\/core\/ajvValidator\.ts$/],
    ['OpenTelemetry', /^src\/core\/activity\/otelSdk\.ts$|@opentelemetry\//],
    ['the stdio bridge', /^src\/bridge\//],
    ['the other commands', /^src\/(connectCommand|listCommand|registryCommand|installCommand|inventoryCommand|activityCommand)\.ts$/],
    ['the MCP Registry', /^src\/core\/registry\//],
    ['Express (the fast path opens sessions and serves them)', /^src\/core\/http\/expressApp\.ts$|(^|\/)node_modules\/(express|body-parser|router)\//],
    ['the SDK\'s OAuth client', /@modelcontextprotocol\/sdk\/dist\/cjs\/client\/auth\.js$|\/pkce-challenge\//],
  ];

  it('in the source: Express, the lazy routes, the SDK v2 client, Ajv, OpenTelemetry and the other commands stay unloaded until asked for', async () => {
    const served = await modulesLoaded(dir, ['--import', 'tsx', SOURCE_CLI]);
    assert.ok(served.includes('src/core/http/createApp.ts'), 'the record lists the modules the start loaded');
    for (const [what, pattern] of BEHIND_A_BOUNDARY) {
      assert.deepEqual(served.filter((file) => pattern.test(file)), [], `${what} loaded at start`);
    }
    // The boundary is where the record shows it: the dashboard's first request loads its module.
    const visited = await modulesLoaded(dir, ['--import', 'tsx', SOURCE_CLI], async (base) => {
      const page = await fetch(`${base}/oauth`);
      await page.text();
      assert.equal(page.status, 200);
    });
    assert.ok(visited.includes('src/core/http/oauth/dashboardRoute.ts'), 'the dashboard loaded on its first request');
    assert.ok(visited.includes('src/core/http/expressApp.ts'), 'Express loaded with the first request the fast path does not take');
  });

  it('in the build: dist/cli.js serves without requiring dist/mcp-client-v2.js, dist/json-schema.js or dist/otel.js', async () => {
    const served = await modulesLoaded(dir, [BUILT_CLI]);
    assert.ok(served.includes('dist/cli.js'), 'the record lists the modules the start loaded');
    assert.deepEqual(served.filter((file) => /^dist\/(mcp-client-v2|json-schema|otel)\.js$/.test(file)), []);
  });
});
