import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, statSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { codeCacheFile, loadBundle, userCacheFolder, type Bundle } from '../../src/launch/codeCache';
import { tempDir, waitFor } from '../helpers/harness';

// dist/cli.js and dist/extension.js load their bundle through loadBundle(): the bundle must run as
// the module it would be without the launcher, and its V8 code cache be made, used, and replaced
// when V8 refuses it, without ever changing what the bundle does.
describe('loading a bundle with a V8 code cache', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let launcher: Module;
  const bundle: Bundle = { file: 'sample.bundle.js', hash: '0123456789abcdef' };
  const load = (main = false) => loadBundle(launcher, bundle, { env, main, produceAfterMs: 0 });
  /**
   * What a new process makes of the cache in `cacheHome` (V8 also keeps compiled scripts within a
   * process, and would answer from there): whether it used it, and what the bundle answered. A cache
   * it makes is written before it exits.
   */
  const loadElsewhere = (cacheHome: string): { cache: string; answer: number } => {
    const script = `const { loadBundle } = require(${JSON.stringify(path.resolve(__dirname, '../../src/launch/codeCache.ts'))});
      const Module = require('node:module');
      const launcher = new Module(${JSON.stringify(path.join(dir, 'launcher.js'))});
      launcher.filename = launcher.id;
      const loaded = loadBundle(launcher, ${JSON.stringify(bundle)}, { env: { XDG_CACHE_HOME: ${JSON.stringify(cacheHome)} }, produceAfterMs: 0 });
      const alive = setInterval(() => undefined, 1000);
      void Promise.resolve(loaded.produced).then(() => {
        clearInterval(alive);
        process.stdout.write(JSON.stringify({ cache: loaded.cache, answer: loaded.exports.answer }));
      });`;
    return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as { cache: string; answer: number };
  };

  before(async () => {
    dir = await tempDir();
    env = { XDG_CACHE_HOME: path.join(dir, 'cache'), LOCALAPPDATA: path.join(dir, 'cache') };
    launcher = new Module(path.join(dir, 'launcher.js'));
    launcher.filename = path.join(dir, 'launcher.js');
    // A CommonJS module as esbuild writes one: requires a sibling and a Node module, reads its own names.
    await fs.writeFile(path.join(dir, 'sibling.js'), 'module.exports = { answer: 42 };');
    await fs.writeFile(
      path.join(dir, bundle.file),
      `const path = require('node:path');
       exports.answer = require('./sibling.js').answer;
       exports.isMain = require.main === module;
       exports.where = path.basename(__filename) + ' in ' + path.basename(__dirname);
       exports.twice = (n) => n * 2;`,
    );
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('runs the bundle as a module of its own folder, the main module when asked', () => {
    const first = load(true);
    const exports = first.exports as { answer: number; isMain: boolean; where: string; twice: (n: number) => number };
    assert.equal(exports.answer, 42);
    assert.equal(exports.isMain, true);
    assert.equal(exports.where, `${bundle.file} in ${path.basename(dir)}`);
    assert.equal(exports.twice(21), 42);
    assert.equal((load(false).exports as { isMain: boolean }).isMain, false);
  });

  it('makes the cache when there is none, readable by this user only, then uses it', async () => {
    const file = codeCacheFile(bundle, env) ?? '';
    assert.ok(file.startsWith(path.join(dir, 'cache', '1mcp', 'code-cache', 'sample.bundle-0123456789abcdef-')), file);
    await waitFor(() => existsSync(file), 'the code cache to be written');
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(loadElsewhere(path.join(dir, 'cache')), { cache: 'used', answer: 42 });
  });

  it('replaces a cache V8 refuses, and the bundle runs all the same', async () => {
    const cacheHome = path.join(dir, 'refused');
    const file = codeCacheFile(bundle, { XDG_CACHE_HOME: cacheHome }) ?? '';
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'not a code cache');
    assert.deepEqual(loadElsewhere(cacheHome), { cache: 'rejected', answer: 42 });
    assert.ok((await fs.stat(file)).size > 'not a code cache'.length, 'a new code cache in its place');
    assert.deepEqual(loadElsewhere(cacheHome), { cache: 'used', answer: 42 });
  });

  it('keeps no cache when NODE_DISABLE_COMPILE_CACHE is set', () => {
    const off = loadBundle(launcher, bundle, { env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } });
    assert.equal(off.cache, 'off');
    assert.equal((off.exports as { answer: number }).answer, 42);
  });

  it('keeps caches in the user cache folder of each platform', () => {
    assert.equal(userCacheFolder({ XDG_CACHE_HOME: '/x' }, 'linux'), path.join('/x', '1mcp'));
    assert.equal(userCacheFolder({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32'), path.join('C:\\Users\\me\\AppData\\Local', '1mcp', 'Cache'));
    assert.match(userCacheFolder({}, 'darwin'), /Library[\\/]Caches[\\/]1mcp$/);
  });
});
