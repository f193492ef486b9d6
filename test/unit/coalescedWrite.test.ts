import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { CoalescedWrite } from '../../src/core/coalescedWrite';
import { FileSecretStore } from '../../src/core/secrets/fileSecretStore';

void it('writes a burst of changes in at most two writes, each with every change made before it began', async () => {
  const values: number[] = [];
  const written: number[][] = [];
  let running = 0;
  const writer = new CoalescedWrite(async () => {
    running += 1;
    assert.equal(running, 1, 'one write at a time');
    written.push([...values]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
  });
  const settled: Promise<void>[] = [];
  for (let i = 0; i < 100; i++) {
    values.push(i);
    settled.push(writer.request());
    // Changes keep coming while the first write runs.
    if (i === 10) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(settled);
  assert.ok(written.length <= 2, `${written.length} writes`);
  assert.deepEqual(written.at(-1), values, 'the last write holds every change');
  await writer.flushed();
});

void it('answers each change once a write carrying it is done, and goes on after a failed write', async () => {
  let fail = true;
  const writes: string[] = [];
  const writer = new CoalescedWrite(async () => {
    if (fail) {
      fail = false;
      throw new Error('disk full');
    }
    writes.push('ok');
  });
  await assert.rejects(writer.request(), /disk full/);
  await writer.request();
  assert.deepEqual(writes, ['ok']);
});

void it('keeps every value of a burst of secrets, in one file', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'onemcp-secrets-')), 'secrets.json');
  const store = new FileSecretStore(file);
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.set(`k${i}`, `v${i}`)));
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  assert.equal(Object.keys(saved).length, 200);
  assert.equal(saved.k199, 'v199');
});
