import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stem } from '../../src/core/search/porterStemmer';
import { searchResult } from '../../src/core/search/searchTools';
import { terms, words } from '../../src/core/search/terms';
import { chooseToolMode, searches, toolModeFromQuery } from '../../src/core/sessions/toolMode';
import { CATALOG_SERVERS, HELD_OUT_QUERIES, QUERIES, catalogIndex, recallAt, withFillers } from '../fixtures/toolCatalogs';

describe('search terms', () => {
  it('stems as Porter (1980) does, on the paper’s own examples', () => {
    const examples: [string, string][] = [
      ['caresses', 'caress'], ['ponies', 'poni'], ['agreed', 'agre'], ['motoring', 'motor'], ['hopping', 'hop'], ['filing', 'file'],
      ['happy', 'happi'], ['relational', 'relat'], ['generalization', 'gener'], ['hopeful', 'hope'], ['adjustment', 'adjust'],
      ['adoption', 'adopt'], ['controll', 'control'], ['roll', 'roll'], ['sky', 'sky'],
    ];
    for (const [word, expected] of examples) assert.equal(stem(word), expected, word);
    assert.equal(stem('issues'), stem('issue'));
    assert.equal(stem('meetings'), stem('meeting'));
  });

  it('splits tool names at the namespace, snake, kebab and camel case', () => {
    assert.deepEqual(words('github_1mcp_createPullRequest'), ['github', 'create', 'pull', 'request']);
    assert.deepEqual(words('get-HTTPHeader.v2'), ['get', 'http', 'header', 'v2']);
    assert.deepEqual(terms('Please list all of my open Issues'), ['list', 'open', 'issu']);
  });
});

describe('tool ranking on realistic catalogs', () => {
  it('finds an expected tool in the first five for at least 90% of everyday requests', () => {
    for (const [catalog, servers] of [['realistic', CATALOG_SERVERS], ['padded to 1000 tools', withFillers(1000)]] as const) {
      const index = catalogIndex(servers);
      for (const [set, queries] of [['tuning', QUERIES], ['held out', HELD_OUT_QUERIES]] as const) {
        const { recall, misses } = recallAt(index, queries, 5);
        const floor = catalog === 'realistic' ? 0.9 : 0.85;
        assert.ok(recall >= floor, `${catalog}, ${set}: recall@5 ${recall.toFixed(3)}; misses: ${misses.map((m) => m.query).join(' | ')}`);
      }
    }
  });

  it('puts a tool asked for by its exact name first, and leaves out tools matching nothing', () => {
    const index = catalogIndex(CATALOG_SERVERS);
    assert.equal(index.search('gmail_1mcp_send_email', 5)[0]?.entry.tool.name, 'gmail_1mcp_send_email');
    assert.equal(index.search('GitHub_1mcp_Get_Me', 1)[0]?.entry.tool.name, 'github_1mcp_get_me');
    assert.deepEqual(index.search('zyxwvut qqq', 5), []);
  });

  it('answers search_tools with structured content and the same JSON as text; bad arguments are tool errors', () => {
    const index = catalogIndex(CATALOG_SERVERS);
    const result = searchResult(index, { query: 'take a screenshot', limit: 2 });
    const { tools } = result.structuredContent as { tools: { name: string; server: string; inputSchema: object }[] };
    assert.equal(tools.length, 2);
    assert.equal(tools[0]?.name, 'playwright_1mcp_browser_take_screenshot');
    assert.equal(tools[0]?.server, 'playwright');
    assert.deepEqual(JSON.parse((result.content[0] as { text: string }).text), { tools });
    assert.equal(searchResult(index, { query: 'x', limit: 500 }).isError, undefined);
    for (const bad of [{}, { query: '' }, { query: 'mail', limit: 0 }, { query: 'mail', limit: 1.5 }, null]) assert.equal(searchResult(index, bad).isError, true, JSON.stringify(bad));
  });
});

describe('tool modes', () => {
  it('reads ?mode= and refuses anything else with 400', () => {
    assert.equal(toolModeFromQuery({}), undefined);
    assert.equal(toolModeFromQuery({ mode: 'search' }), 'search');
    assert.throws(() => toolModeFromQuery({ mode: 'lazy' }), (e: Error & { status?: number }) => e.status === 400 && /all, search, auto/.test(e.message));
    assert.throws(() => toolModeFromQuery({ mode: ['search', 'all'] }), /must be one of/);
  });

  it('takes the URL’s mode, else the client’s config entry (any case), else "*", else all', () => {
    const clients = { 'Claude Code': { toolMode: 'search' as const }, '*': { toolMode: 'auto' as const }, cursor: {} };
    assert.equal(chooseToolMode('all', clients, 'claude code'), 'all');
    assert.equal(chooseToolMode(undefined, clients, 'claude code'), 'search');
    assert.equal(chooseToolMode(undefined, clients, 'cursor'), 'auto');
    assert.equal(chooseToolMode(undefined, clients, undefined), 'auto');
    assert.equal(chooseToolMode(undefined, {}, 'anyone'), 'all');
  });

  it('auto searches past 128 tools only', () => {
    assert.equal(searches('auto', 128), false);
    assert.equal(searches('auto', 129), true);
    assert.equal(searches('search', 0), true);
    assert.equal(searches('all', 5000), false);
  });
});
