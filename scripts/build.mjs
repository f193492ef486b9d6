// Bundles the CLI (and, when present, the extension and the dashboard webview) with esbuild.
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
};

// 'module' first: some dependencies (jsonc-parser) ship a UMD main that bundlers cannot follow.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

const builds = [
  // Always minified: the headless agent idles in its own process, and V8 keeps the whole source in
  // memory (as UTF-16 if a single character of it is not Latin-1). The source map stays beside it.
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The stdio bridge alone, for the clients that start it: a third of the CLI, about 20 MiB less RSS.
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/bridge/main.ts'], outfile: 'dist/proxy.js', banner: { js: '#!/usr/bin/env node' } }),
];
if (existsSync('src/extension/extension.ts')) {
  builds.push(esbuild.build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }));
}
if (existsSync('webview/main.ts')) {
  builds.push(esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/main.ts'], outfile: 'media/dashboard.js' }));
}
await Promise.all(builds);
