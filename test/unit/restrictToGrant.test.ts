import assert from 'node:assert/strict';
import { it } from 'node:test';
import { restrictToGrant, tagsOutsideGrant } from '../../src/core/filter/restrictToGrant';
import { ALL_BACKENDS, type BackendSelector } from '../../src/core/filter/selector';
import { HttpError } from '../../src/core/httpError';

const not = (tag: string): BackendSelector => ({ key: `not ${tag}`, referencedTags: [tag], matches: (tags) => !tags.includes(tag) });
const anyOf = (...want: string[]): BackendSelector => ({ key: want.join(','), referencedTags: want, matches: (tags) => tags.some((t) => want.includes(t)) });

void it('with no selector, selects only backends carrying a granted tag', () => {
  const scoped = restrictToGrant(ALL_BACKENDS, ['a']);
  assert.ok(scoped.matches(['a']));
  assert.ok(scoped.matches(['a', 'b']), 'a backend tagged a and b carries a granted tag');
  assert.ok(!scoped.matches(['b']));
  assert.ok(!scoped.matches([]), 'untagged backends are outside every grant');
});

void it('evaluates a selector inside the grant, so `not` never reaches outside it', () => {
  const scoped = restrictToGrant(not('a'), ['a', 'c']);
  assert.ok(!scoped.matches(['b']), 'b is not granted, even though "not a" holds for it');
  assert.ok(scoped.matches(['c']));
  assert.ok(!scoped.matches(['a', 'c']));
  assert.notEqual(scoped.key, not('a').key, 'a scoped selection is cached apart from the unscoped one');
});

void it('refuses a selector naming a tag outside the grant with 403 insufficient_scope', () => {
  assert.deepEqual(tagsOutsideGrant(anyOf('a', 'b'), ['a']), ['b']);
  assert.deepEqual(tagsOutsideGrant(anyOf('a'), ['a']), []);
  assert.throws(() => restrictToGrant(not('b'), ['a']), (error: unknown) => error instanceof HttpError && error.status === 403 && error.code === 'insufficient_scope');
});
