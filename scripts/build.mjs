// Bundles the CLI (and, when present, the extension and the dashboard webview) with esbuild.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// The SDK v2 client, which only backends speaking MCP 2026-07-28 need, is a file of its own beside the
// bundles, required on first use: inside a bundle, even never run, it cost the idle agent 2.6 MiB.
const MODERN_CLIENT = 'mcp-client-v2.js';
const modernClientApart = {
  name: 'modern-client-apart',
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/client$/ }, () => ({ path: `./${MODERN_CLIENT}`, external: true }));
  },
};

const builds = [
  // Always minified: the headless agent idles in its own process, and V8 keeps the whole source in
  // memory (as UTF-16 if a single character of it is not Latin-1). The source map stays beside it.
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [modernClientApart] }),
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: [createRequire(import.meta.url).resolve('@modelcontextprotocol/client')], outfile: `dist/${MODERN_CLIENT}` }),
  // The stdio bridge alone, for the clients that start it: a third of the CLI, about 20 MiB less RSS.
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/bridge/main.ts'], outfile: 'dist/proxy.js', banner: { js: '#!/usr/bin/env node' }, plugins: [modernClientApart] }),
];
if (existsSync('src/extension/extension.ts')) {
  builds.push(esbuild.build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [modernClientApart] }));
}
if (existsSync('webview/main.ts')) {
  builds.push(esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/main.ts'], outfile: 'media/dashboard.js' }));
}
await Promise.all(builds);
