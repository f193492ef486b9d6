/**
 * `dist/cli.js`, what `onemcp` runs: loads the CLI's bundle (`dist/cli.bundle.js`) with a V8 code cache
 * (see codeCache.ts) and runs it as the main module. The build names the bundle and its hash.
 */
import { loadBundle, type Bundle } from './codeCache';

declare const BUNDLE: Bundle;

loadBundle(module, BUNDLE, { main: true });
