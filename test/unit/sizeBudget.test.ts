import assert from 'node:assert/strict';
import { it } from 'node:test';
import { overBudget } from '../../scripts/sizeBudget';

it('names each file over its budget with its size and the budget, and nothing within it', () => {
  const messages = overBudget([
    { file: 'onemcp-agent.vsix', bytes: 700_000, budget: 700_000 },
    { file: 'dist/extension.js', bytes: 1_012_345, budget: 1_000_000 },
  ]);
  assert.deepEqual(messages, ['dist/extension.js is 1,012 KB (1,012,345 bytes), over its budget of 1,000 KB']);
});
