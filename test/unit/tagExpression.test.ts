import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectorFromQuery } from '../../src/core/filter/fromQuery';
import { HttpError } from '../../src/core/httpError';
import { evaluateTagExpression, parseTagExpression, printTagExpression, tagsOf } from '../../src/core/filter/tagExpression';

const matches = (expression: string, tags: string[]): boolean => evaluateTagExpression(parseTagExpression(expression), new Set(tags));

describe('tag-filter expressions', () => {
  it('supports and/or/not in words and symbols, with 1MCP precedence', () => {
    assert.equal(printTagExpression(parseTagExpression('web+api')), '(web+api)');
    assert.equal(printTagExpression(parseTagExpression('web and api or db')), '((web+api),db)');
    assert.equal(printTagExpression(parseTagExpression('web,api+db')), '(web,(api+db))');
    assert.equal(printTagExpression(parseTagExpression('(web,api)+!test')), '((web,api)+!test)');
    assert.equal(printTagExpression(parseTagExpression('NOT -test')), '!!test');
    assert.equal(printTagExpression(parseTagExpression('my-tag + team:ops')), '(my-tag+team:ops)');
  });

  it('evaluates against a backend tag set', () => {
    assert.equal(matches('web+api', ['web', 'api']), true);
    assert.equal(matches('web+api', ['web']), false);
    assert.equal(matches('web,api', ['api']), true);
    assert.equal(matches('!test', ['web']), true);
    assert.equal(matches('-test', ['test']), false);
    assert.equal(matches('(web or db) and not legacy', ['db', 'legacy']), false);
  });

  it('points at the problem in malformed expressions', () => {
    assert.throws(() => parseTagExpression('web+'), /expected a tag but found the end at position 5/);
    assert.throws(() => parseTagExpression('(web'), /expected "\)" but found the end/);
    assert.throws(() => parseTagExpression('web api'), /unexpected "api" at position 5/);
    assert.throws(() => parseTagExpression('web & api'), /unexpected character "&" at position 5/);
    assert.throws(() => parseTagExpression('  '), /empty/);
  });

  it('lists the tags an expression names', () => {
    assert.deepEqual(tagsOf(parseTagExpression('(a,b)+!a+c')), ['a', 'b', 'c']);
  });
});

describe('selectors from the query string', () => {
  const presets = { dev: 'web+!prod', pair: ['a', 'b'] };
  const status = (query: Record<string, unknown>): number => {
    try {
      selectorFromQuery(query, presets);
      return 200;
    } catch (error) {
      assert.ok(error instanceof HttpError);
      return error.status;
    }
  };

  it('builds any-of from ?tags=, expressions from ?tag-filter=, and presets', () => {
    const tags = selectorFromQuery({ tags: 'a, b' }, presets);
    assert.equal(tags.matches(['b']), true);
    assert.equal(tags.matches(['c']), false);
    assert.deepEqual(tags.referencedTags, ['a', 'b']);
    assert.equal(selectorFromQuery({ 'tag-filter': 'a+b' }, presets).matches(['a']), false);
    assert.equal(selectorFromQuery({ preset: 'dev' }, presets).matches(['web']), true);
    assert.equal(selectorFromQuery({ preset: 'pair' }, presets).matches(['b']), true);
    assert.equal(selectorFromQuery({}, presets).matches([]), true);
  });

  it('answers 400 for two selectors, an unknown preset or a malformed expression', () => {
    assert.equal(status({ tags: 'a', preset: 'dev' }), 400);
    assert.equal(status({ preset: 'nope' }), 400);
    assert.equal(status({ 'tag-filter': 'a+(b' }), 400);
    assert.equal(status({ tags: ',' }), 400);
    assert.equal(status({ tags: 'a;b' }), 400);
  });
});
