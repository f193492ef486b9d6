import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import { TaskRoutes, relatedTaskId, withRelatedTask, withTaskId } from '../../src/core/aggregate/taskRoutes';
import { renameResultUris } from '../../src/core/aggregate/resultUris';

describe('task routes', () => {
  it('gives each task an id of its own, reached only by the principal that created it', () => {
    const routes = new TaskRoutes();
    const a = routes.add('owner:a', 'research', 'task-1');
    const b = routes.add('owner:b', 'other', 'task-1');
    assert.notEqual(a.id, b.id);
    assert.match(a.id, /^[A-Za-z0-9_-]{24}$/);
    assert.deepEqual(routes.get('owner:a', a.id), a);
    assert.equal(routes.get('owner:b', a.id), undefined);
    assert.deepEqual(routes.fromBackend('other', 'task-1'), b);
    assert.deepEqual([...routes.ofPrincipal('owner:a', 'research').keys()], ['task-1']);
  });

  it("forgets a principal's oldest task beyond its bound, and no one else's", () => {
    const routes = new TaskRoutes();
    const other = routes.add('owner:b', 'x', 'kept');
    const first = routes.add('owner:a', 'x', 't0');
    for (let i = 1; i <= 1000; i++) routes.add('owner:a', 'x', `t${i}`);
    assert.equal(routes.get('owner:a', first.id), undefined);
    assert.equal(routes.fromBackend('x', 't0'), undefined);
    assert.equal(routes.ofPrincipal('owner:a', 'x').size, 1000);
    assert.deepEqual(routes.get('owner:b', other.id), other);
  });

  it('renames the task id wherever a result or a message carries it', () => {
    assert.deepEqual(withTaskId({ task: { taskId: 'b1', status: 'working' }, _meta: { k: 1 } }, 'c1'), { task: { taskId: 'c1', status: 'working' }, _meta: { k: 1 } });
    assert.deepEqual(withTaskId({ taskId: 'b1', status: 'completed' }, 'c1'), { taskId: 'c1', status: 'completed' });
    const related = { content: [], _meta: { [RELATED_TASK_META_KEY]: { taskId: 'b1' }, other: true } };
    assert.equal(relatedTaskId(related), 'b1');
    assert.deepEqual(withRelatedTask(related, 'c1')._meta, { [RELATED_TASK_META_KEY]: { taskId: 'c1' }, other: true });
    assert.deepEqual(withRelatedTask({ content: [], _meta: { [RELATED_TASK_META_KEY]: { taskId: 'b1' } } }, undefined), { content: [] });
  });
});

describe('resource URIs in results', () => {
  it('shows every URI to the renamer and copies only what changes', () => {
    const seen: string[] = [];
    const result = { content: [{ type: 'text', text: 'x' }, { type: 'resource_link', uri: 'a://1', name: 'a' }, { type: 'resource', resource: { uri: 'b://2', text: 't' } }] };
    assert.equal(renameResultUris(result, (uri) => (seen.push(uri), uri)), result);
    assert.deepEqual(seen, ['a://1', 'b://2']);
    const renamed = renameResultUris(result, (uri) => (uri === 'b://2' ? `x+${uri}` : uri)) as typeof result;
    assert.notEqual(renamed, result);
    assert.equal(renamed.content[1], result.content[1]);
    assert.deepEqual(renamed.content[2], { type: 'resource', resource: { uri: 'x+b://2', text: 't' } });
    const read = { contents: [{ uri: 'b://2', text: 't', _meta: { m: 1 } }] };
    assert.deepEqual(renameResultUris(read, (uri) => `x+${uri}`), { contents: [{ uri: 'x+b://2', text: 't', _meta: { m: 1 } }] });
    const prompt = { messages: [{ role: 'user', content: { type: 'resource', resource: { uri: 'b://2', text: 't' } } }] };
    assert.deepEqual(renameResultUris(prompt, (uri) => `x+${uri}`), { messages: [{ role: 'user', content: { type: 'resource', resource: { uri: 'x+b://2', text: 't' } } }] });
  });
});
