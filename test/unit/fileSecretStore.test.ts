import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { FileSecretStore, SecretFileError } from '../../src/core/secrets/fileSecretStore';

const tempFile = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'onemcp-secrets-')), 'nested', 'secrets.json');

void it('keeps values in a 0600 file in a 0700 folder, replaced atomically', async () => {
  const file = tempFile();
  const store = new FileSecretStore(file);
  assert.equal(await store.get('k'), undefined);
  await Promise.all([store.set('k', 'v1'), store.set('other', 'x')]);
  await store.set('k', 'v2');
  await store.delete('other');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { k: 'v2' });
  assert.deepEqual(readdirSync(path.dirname(file)), ['secrets.json'], 'no temp file is left behind');
  if (process.platform !== 'win32') {
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  }
  assert.equal(await new FileSecretStore(file).get('k'), 'v2', 'another instance reads what was written');
});

void it('refuses a file that is not a JSON object of strings, and leaves it alone', async () => {
  const file = tempFile();
  await new FileSecretStore(file).set('k', 'v');
  writeFileSync(file, '{"k": 1}');
  await assert.rejects(new FileSecretStore(file).get('k'), SecretFileError);
  assert.equal(readFileSync(file, 'utf8'), '{"k": 1}');
});
