/**
 * `dist/extension.js`, the extension's main module: loads the extension's bundle
 * (`dist/extension.bundle.js`) with a V8 code cache (see codeCache.ts), and hands VS Code its
 * `activate` and `deactivate`. The build names the bundle and its hash.
 */
import type * as Extension from '../extension/extension';
import { loadBundle, type Bundle } from './codeCache';

declare const BUNDLE: Bundle;

const loaded = loadBundle(module, BUNDLE);
const extension = loaded.exports as typeof Extension;

export const activate = (context: Parameters<typeof Extension.activate>[0]): void => extension.activate(context, { codeCache: loaded.cache });
export const deactivate: typeof Extension.deactivate = () => extension.deactivate();
