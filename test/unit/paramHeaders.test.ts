import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paramHeaderMismatch } from '../../src/core/http/modern/paramHeaders';

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    limit: { type: 'integer', 'x-mcp-header': 'Limit' },
    target: { type: 'object', properties: { dry: { type: 'boolean', 'x-mcp-header': 'Dry' } } },
    query: { type: 'string' },
  },
};

describe('Mcp-Param headers mirror the annotated arguments of a tools/call', () => {
  it('accepts headers that carry the arguments, Base64 sentinels decoded and integers compared as numbers', () => {
    const args = { region: 'Zürich', limit: 42, target: { dry: true }, query: 'select 1' };
    const headers = { 'mcp-param-region': `=?base64?${Buffer.from('Zürich').toString('base64')}?=`, 'mcp-param-limit': '42.0', 'mcp-param-dry': 'true' };
    assert.equal(paramHeaderMismatch(schema, args, headers), undefined);
  });

  it('needs a header for every present argument and none for an absent one', () => {
    assert.match(paramHeaderMismatch(schema, { region: 'eu' }, {}) ?? '', /Mcp-Param-Region is required/);
    assert.match(paramHeaderMismatch(schema, {}, { 'mcp-param-limit': '3' }) ?? '', /Mcp-Param-Limit is sent but the argument limit is absent/);
    assert.equal(paramHeaderMismatch(schema, { region: null }, {}), undefined);
  });

  it('refuses a header that differs from its argument, nested ones included', () => {
    assert.match(paramHeaderMismatch(schema, { region: 'eu' }, { 'mcp-param-region': 'us' }) ?? '', /does not match the argument region/);
    assert.match(paramHeaderMismatch(schema, { target: { dry: false } }, { 'mcp-param-dry': 'true' }) ?? '', /argument target\.dry/);
  });

  it('asks nothing of a tool without annotations', () => {
    assert.equal(paramHeaderMismatch({ type: 'object', properties: { a: { type: 'string' } } }, { a: 'x' }, {}), undefined);
    assert.equal(paramHeaderMismatch(undefined, { a: 'x' }, {}), undefined);
  });
});
