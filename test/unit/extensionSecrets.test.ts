// ${input:} values in SecretStorage, the keychain adapter and the log adapter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLevel } from '../../src/core/logger';
import { MemorySecretStore } from '../../src/core/secrets/secretStore';
import { channelLogger, type LogSink } from '../../src/extension/channelLogger';
import { SecretStorageStore, type KeychainLike } from '../../src/extension/secretStorageStore';
import { StoredInputs } from '../../src/extension/storedInputs';

/** Stands in for VS Code's SecretStorage, which only exists inside the editor (the e2e suite uses the real one). */
class MapKeychain implements KeychainLike {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

describe('stored inputs', () => {
  it('ask once, share one prompt between concurrent lookups, then answer from the store', async () => {
    const asked: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inputs = new StoredInputs(new MemorySecretStore(), async (id) => {
      asked.push(id);
      await gate;
      return `value-of-${id}`;
    });
    const both = Promise.all([inputs.resolve('token'), inputs.resolve('token')]);
    release();
    assert.deepEqual(await both, ['value-of-token', 'value-of-token']);
    assert.equal(await inputs.resolve('token'), 'value-of-token');
    assert.deepEqual(asked, ['token']);
    assert.deepEqual(await inputs.ids(), ['token']);
  });

  it('do not ask again for a declined input until retried, and forget everything on request', async () => {
    let answer: string | undefined = undefined;
    let asks = 0;
    const store = new MemorySecretStore();
    const inputs = new StoredInputs(store, async () => {
      asks++;
      return answer;
    });
    assert.equal(await inputs.resolve('key'), undefined);
    assert.equal(await inputs.resolve('key'), undefined);
    assert.equal(asks, 1);
    inputs.retry();
    answer = 'secret';
    assert.equal(await inputs.resolve('key'), 'secret');
    assert.equal(await inputs.forgetAll(), 1);
    assert.equal(await store.get('input:key'), undefined);
    assert.deepEqual(await inputs.ids(), []);
    assert.equal(await inputs.resolve('key'), 'secret');
    assert.equal(asks, 3);
  });

  it('live in the keychain under the extension prefix', async () => {
    const keychain = new MapKeychain();
    const inputs = new StoredInputs(new SecretStorageStore(keychain), async () => 'v');
    await inputs.resolve('api');
    assert.deepEqual([...keychain.values.keys()].sort(), ['onemcp.input:api', 'onemcp.inputs']);
  });
});

describe('log channel adapter', () => {
  it('drops messages below onemcp.logLevel, read at every call', () => {
    const lines: string[] = [];
    const sink = Object.fromEntries((['trace', 'debug', 'info', 'warn', 'error'] as const).map((lvl) => [lvl, (m: string | Error) => lines.push(`${lvl} ${String(m)}`)])) as unknown as LogSink;
    let level: LogLevel = 'info';
    const logger = channelLogger(sink, () => level);
    logger.debug('hidden');
    logger.info('shown');
    level = 'debug';
    logger.debug('now shown');
    logger.error('always');
    assert.deepEqual(lines, ['info shown', 'debug now shown', 'error always']);
  });
});
