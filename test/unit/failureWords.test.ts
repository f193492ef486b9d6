// The words the agent uses for a failing backend and for names a client got wrong: pure functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeMatches } from '../../src/core/aggregate/unknownName';
import { StderrTail } from '../../src/core/backends/stderrTail';
import { describeRpcError, rpcErrorOf, withoutMcpPrefix } from '../../src/core/rpcError';
import { statusDetail } from '../../src/core/backends/backendStatus';

describe('statusDetail', () => {
  const at = new Date(2026, 0, 2, 13, 4, 5).getTime();
  const lastError = { message: 'process exited with code 3', exitCode: 3, stderr: 'boom: missing API key', at: at - 2000 };

  it('says why, what the process last said, and which restart comes when', () => {
    assert.equal(
      statusDetail({ status: 'restarting', reason: lastError.message, lastError, nextRestart: { attempt: 2, of: 5, at } }),
      'process exited with code 3 — stderr: boom: missing API key; restart 2 of 5 at 13:04:05',
    );
    assert.equal(statusDetail({ status: 'error', reason: 'crash loop: process exited with code 3 (gave up after 5 restarts)', lastError }), 'crash loop: process exited with code 3 (gave up after 5 restarts) — stderr: boom: missing API key');
    assert.equal(statusDetail({ status: 'connecting', lastError }), 'trying again after: process exited with code 3 — stderr: boom: missing API key');
  });

  it('says nothing for a connected, disabled or first-time connecting backend, and passes OAuth reasons on', () => {
    assert.equal(statusDetail({ status: 'connected', lastError }), undefined);
    assert.equal(statusDetail({ status: 'disabled' }), undefined);
    assert.equal(statusDetail({ status: 'connecting' }), undefined);
    assert.equal(statusDetail({ status: 'awaiting_oauth', reason: 'use Authorize to sign in' }), 'use Authorize to sign in');
  });
});

describe('the stderr line that tells', () => {
  it("picks Node's and Python's error line over the stack, the banner and the closing brace", () => {
    const node = new StderrTail();
    node.push("node:internal/modules/cjs/loader:1210\n  throw err;\n\nError: Cannot find module '/x.js'\n    at Module._load (node:internal/modules/cjs/loader:1038:27)\n{\n  code: 'MODULE_NOT_FOUND'\n}\n\nNode.js v20.20.2\n");
    assert.equal(node.tellingLine(), "Error: Cannot find module '/x.js'");
    const python = new StderrTail();
    python.push('Traceback (most recent call last):\n  File "server.py", line 1, in <module>\nModuleNotFoundError: No module named \'mcp\'\n');
    assert.equal(python.tellingLine(), "ModuleNotFoundError: No module named 'mcp'");
  });

  it('falls back to the last line, and to nothing', () => {
    const plain = new StderrTail();
    plain.push('starting\nlistening on stdio');
    assert.equal(plain.tellingLine(), 'listening on stdio');
    assert.equal(new StderrTail().tellingLine(), undefined);
  });
});

describe('JSON-RPC errors in words', () => {
  it('drops every SDK "MCP error <code>:" prefix', () => {
    assert.equal(withoutMcpPrefix('MCP error -32602: MCP error -32602: Tool x not found'), 'Tool x not found');
    assert.equal(withoutMcpPrefix('Tool x not found'), 'Tool x not found');
  });

  it('names the versions a server supports when it refused ours', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 0, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2026-07-28'], requested: '2025-11-25' } } });
    const error = rpcErrorOf(body);
    assert.ok(error);
    assert.equal(describeRpcError(error), 'Unsupported protocol version (JSON-RPC error -32022; the server supports protocol version 2026-07-28, asked for 2025-11-25)');
    assert.equal(rpcErrorOf('<html>Not found</html>'), undefined);
    assert.equal(rpcErrorOf('{"jsonrpc":"2.0","result":{}}'), undefined);
  });
});

describe('close matches for a name a client got wrong', () => {
  const names = ['alpha_1mcp_echo', 'beta_1mcp_echo', 'alpha_1mcp_add', 'alpha_1mcp_grow', 'github_1mcp_search_repositories', 'github_1mcp_search_code'];

  it('finds the own name under any prefix, typos and swapped letters, the same prefix first', () => {
    assert.deepEqual(closeMatches('echo', names), ['alpha_1mcp_echo', 'beta_1mcp_echo']);
    assert.deepEqual(closeMatches('beta_1mcp_ecoh', names), ['beta_1mcp_echo', 'alpha_1mcp_echo']);
    assert.deepEqual(closeMatches('alpah_1mcp_add', names), ['alpha_1mcp_add']);
    assert.deepEqual(closeMatches('search', names), ['github_1mcp_search_code', 'github_1mcp_search_repositories']);
  });

  it('suggests nothing far away, and at most three', () => {
    assert.deepEqual(closeMatches('zzzzzz', names), []);
    assert.equal(closeMatches('e', ['a_1mcp_a', 'a_1mcp_b', 'a_1mcp_c', 'a_1mcp_d']).length, 3);
  });
});
