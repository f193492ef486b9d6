import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { LazyJsonSchemaValidator } from '../../src/core/lazyJsonSchemaValidator';

describe('lazy JSON Schema validator', () => {
  const schema = { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] } as const;

  it('gives the same verdicts and messages as the SDK validator', () => {
    const lazy = new LazyJsonSchemaValidator().getValidator<{ sum: number }>(schema);
    const eager = new AjvJsonSchemaValidator().getValidator<{ sum: number }>(schema);
    for (const input of [{ sum: 3 }, { sum: 'three' }, {}]) assert.deepEqual(lazy(input), eager(input));
    assert.equal(lazy({ sum: 3 }).valid, true);
    assert.equal(lazy({}).valid, false);
  });

  it('compiles a schema only when its validator is first called', () => {
    const unresolvable = { $ref: '#/definitions/missing' };
    assert.throws(() => new AjvJsonSchemaValidator().getValidator(unresolvable));
    const validate = new LazyJsonSchemaValidator().getValidator(unresolvable);
    assert.throws(() => validate({}));
  });
});
