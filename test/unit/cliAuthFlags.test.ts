import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseCli, secretsFilePath } from '../../src/cli';

const env = { XDG_CONFIG_HOME: '/tmp/onemcp-cli-test' };
const options = (argv: string[], extra: NodeJS.ProcessEnv = {}) => {
  const parsed = parseCli(['--config', 'mcp.json', ...argv], { ...env, ...extra });
  assert.ok(typeof parsed === 'object');
  return parsed;
};

void it('reads --enable-auth and --enable-scope-validation, or their ONE_MCP_ variables', () => {
  assert.deepEqual([options([]).enableAuth, options([]).enableScopeValidation], [false, false]);
  const flags = options(['--enable-auth', '--enable-scope-validation']);
  assert.deepEqual([flags.enableAuth, flags.enableScopeValidation], [true, true]);
  const fromEnv = options([], { ONE_MCP_ENABLE_AUTH: 'true', ONE_MCP_ENABLE_SCOPE_VALIDATION: '1' });
  assert.deepEqual([fromEnv.enableAuth, fromEnv.enableScopeValidation], [true, true]);
  assert.equal(options([], { ONE_MCP_ENABLE_AUTH: 'false' }).enableAuth, false);
});

void it('refuses scope validation without auth, and unreadable switches', () => {
  assert.throws(() => options(['--enable-scope-validation']), /needs --enable-auth/);
  assert.throws(() => options([], { ONE_MCP_ENABLE_AUTH: 'maybe' }), /ONE_MCP_ENABLE_AUTH/);
});

void it('keeps headless secrets in the user config folder', () => {
  assert.equal(secretsFilePath(env), '/tmp/onemcp-cli-test/1mcp/agent-secrets.json');
});
