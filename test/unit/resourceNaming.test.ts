import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ResourceNaming, type ResourceSource } from '../../src/core/aggregate/resourceNaming';
import { EMPTY_LISTS } from '../../src/core/backends/backendLists';

const resource = (uri: string): Resource => ({ uri, name: uri });
const template = (uriTemplate: string): ResourceTemplate => ({ uriTemplate, name: uriTemplate });
const uiTool = (name: string, uri: string): Tool => ({ name, inputSchema: { type: 'object' }, _meta: { ui: { resourceUri: uri }, 'ui/resourceUri': uri } });

function source(backend: string, lists: { resources?: Resource[]; resourceTemplates?: ResourceTemplate[]; tools?: Tool[] }, label = backend): ResourceSource {
  return { backend, label, lists: { ...EMPTY_LISTS, ...lists } };
}

describe('resource naming', () => {
  it('keeps every URI as its server named it while no two backends offer it', () => {
    const naming = new ResourceNaming([
      source('files', { resources: [resource('file:///srv/notes.md')], resourceTemplates: [template('file:///srv/{+path}')] }),
      source('demo', { resources: [resource('demo://resource/static/document/features.md')], resourceTemplates: [template('demo://resource/dynamic/text/{id}')] }),
    ]);
    assert.deepEqual(naming.resources.map((r) => r.uri), ['file:///srv/notes.md', 'demo://resource/static/document/features.md']);
    assert.deepEqual(naming.resourceTemplates.map((t) => t.uriTemplate), ['file:///srv/{+path}', 'demo://resource/dynamic/text/{id}']);
    assert.deepEqual(naming.listed('file:///srv/notes.md'), { backend: 'files', original: 'file:///srv/notes.md' });
    assert.deepEqual(naming.byTemplate('demo://resource/dynamic/text/2'), { backend: 'demo', original: 'demo://resource/dynamic/text/2' });
    assert.deepEqual(naming.byScheme('file:///elsewhere'), { backend: 'files', original: 'file:///elsewhere' });
    assert.equal(naming.exposedStatic('demo', 'demo://resource/dynamic/text/2'), 'demo://resource/dynamic/text/2');
    assert.equal(naming.exposedStatic('demo', 'demo://unknown'), undefined);
    assert.deepEqual(naming.collisions, []);
  });

  it('tells apart only a URI two backends list, as a valid URI, and routes each form back', () => {
    const naming = new ResourceNaming([
      source('alpha', { resources: [resource('fixture://info'), resource('fixture://alpha-only')] }),
      source('my_web', { resources: [resource('fixture://info')] }, 'my_web'),
    ]);
    assert.deepEqual(naming.resources.map((r) => r.uri), ['alpha+fixture://info', 'fixture://alpha-only', 'my-web+fixture://info']);
    for (const uri of naming.resources.map((r) => r.uri)) assert.match(uri, /^[A-Za-z][A-Za-z0-9+.-]*:/);
    assert.deepEqual(naming.listed('my-web+fixture://info'), { backend: 'my_web', original: 'fixture://info' });
    assert.equal(naming.listed('fixture://info'), undefined);
    assert.deepEqual(naming.alternatives('fixture://info'), ['alpha+fixture://info', 'my-web+fixture://info']);
    // What one backend names that another lists is told apart as well.
    assert.equal(naming.exposedStatic('my_web', 'fixture://alpha-only'), 'my-web+fixture://alpha-only');
    assert.deepEqual(naming.undecorate('my-web+fixture://alpha-only'), { backend: 'my_web', original: 'fixture://alpha-only' });
    assert.equal(naming.byScheme('fixture://x'), undefined, 'two backends use the scheme');
  });

  it('tells apart templates that could match the same URI, and keeps distinct ones', () => {
    const naming = new ResourceNaming([
      source('a', { resourceTemplates: [template('fixture://items/{id}'), template('db://users/{id}')] }),
      source('b', { resourceTemplates: [template('fixture://items/{id}'), template('db://orders/{id}')] }),
    ]);
    assert.deepEqual(naming.resourceTemplates.map((t) => t.uriTemplate), ['a+fixture://items/{id}', 'db://users/{id}', 'b+fixture://items/{id}', 'db://orders/{id}']);
    assert.deepEqual(naming.byTemplate('b+fixture://items/42'), { backend: 'b', original: 'fixture://items/42' });
    assert.deepEqual(naming.byTemplate('db://orders/7'), { backend: 'b', original: 'db://orders/7' });
    assert.equal(naming.exposedStatic('a', 'fixture://items/1'), 'a+fixture://items/1');
    assert.deepEqual(naming.template('b+fixture://items/{id}'), { backend: 'b', original: 'fixture://items/{id}' });
  });

  it("routes a tool's UI resource to its backend, told apart in the tool too when two backends name it", () => {
    const one = new ResourceNaming([source('apps', { tools: [uiTool('get-time', 'ui://get-time/mcp-app.html')] })]);
    assert.deepEqual(one.listed('ui://get-time/mcp-app.html'), { backend: 'apps', original: 'ui://get-time/mcp-app.html' });
    const tool = uiTool('get-time', 'ui://get-time/mcp-app.html');
    assert.equal(one.tool('apps', tool), tool, 'an uncontested tool is the same object');
    const two = new ResourceNaming([source('apps', { tools: [tool] }), source('copy', { tools: [tool] })]);
    const shown = two.tool('copy', tool);
    assert.deepEqual(shown._meta, { ui: { resourceUri: 'copy+ui://get-time/mcp-app.html' }, 'ui/resourceUri': 'copy+ui://get-time/mcp-app.html' });
    assert.deepEqual(two.listed('copy+ui://get-time/mcp-app.html'), { backend: 'copy', original: 'ui://get-time/mcp-app.html' });
  });

  it('gives labels that make valid schemes, distinct for distinct backends', () => {
    const naming = new ResourceNaming([source('1st', { resources: [resource('x://a')] }), source('first', { resources: [resource('x://a')] }, 'x-1st')]);
    assert.deepEqual(naming.resources.map((r) => r.uri), ['x-1st+x://a', 'x-1st-2+x://a']);
    assert.deepEqual(naming.undecorate('x-1st-2+x://a'), { backend: 'first', original: 'x://a' });
  });
});
