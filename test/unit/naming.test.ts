import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalog } from '../../src/core/aggregate/catalog';
import { exposedToolName, namespaced, TOOL_NAME_PATTERN } from '../../src/core/aggregate/naming';
import { EMPTY_LISTS } from '../../src/core/backends/backendLists';

describe('tool naming', () => {
  it('uses the 1MCP scheme <server>_1mcp_<tool>, or the bare name with an empty prefix', () => {
    assert.equal(exposedToolName('github', 'create_issue'), 'github_1mcp_create_issue');
    assert.equal(exposedToolName('', 'create_issue'), 'create_issue');
    assert.equal(namespaced('fs', 'summarize'), 'fs_1mcp_summarize');
  });

  it('shortens long names deterministically, keeping them valid and distinct', () => {
    const a = exposedToolName('a-rather-long-server-name', 'and_an_even_longer_tool_name_that_goes_on_and_on_1');
    const b = exposedToolName('a-rather-long-server-name', 'and_an_even_longer_tool_name_that_goes_on_and_on_2');
    for (const name of [a, b]) {
      assert.match(name, TOOL_NAME_PATTERN);
      assert.equal(name.length, 64);
    }
    assert.notEqual(a, b);
    assert.equal(a, exposedToolName('a-rather-long-server-name', 'and_an_even_longer_tool_name_that_goes_on_and_on_1'));
  });

  it('cleans characters clients reject, without merging distinct names', () => {
    const dotted = exposedToolName('srv', 'files.read');
    const underscored = exposedToolName('srv', 'files_read');
    assert.match(dotted, TOOL_NAME_PATTERN);
    assert.notEqual(dotted, underscored);
  });
});

describe('catalog', () => {
  const tool = (name: string) => ({ name, inputSchema: { type: 'object' as const } });

  it('keeps the first backend on a name collision and reports the other', () => {
    const catalog = new Catalog([
      { name: 'one', prefix: '', disabledTools: [], lists: { ...EMPTY_LISTS, tools: [tool('search')] } },
      { name: 'two', prefix: '', disabledTools: [], lists: { ...EMPTY_LISTS, tools: [tool('search'), tool('other')] } },
    ]);
    assert.equal(catalog.tools.get('search')?.backend, 'one');
    assert.equal(catalog.tools.get('other')?.backend, 'two');
    assert.deepEqual(catalog.collisions, [{ backend: 'two', kind: 'tool', name: 'search', keptBy: 'one' }]);
  });
});
