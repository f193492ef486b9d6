// Bundles the CLI (and, when present, the extension and the dashboard webview) with esbuild.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
// --metafile: writes dist/<bundle>.meta.json, what each bundle holds (https://esbuild.github.io/analyze/ reads it).
const metafile = process.argv.includes('--metafile');
const common = {
  metafile,
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
};

// 'module' first: some dependencies (jsonc-parser) ship a UMD main that bundlers cannot follow.
// Stand-ins (src/shims/): iconv-lite (body-parser's and raw-body's) gives way to UTF-8 and ISO-8859-1
// decoders, its tables for every other charset were a quarter of each bundle; mime-types (Express's,
// type-is's, accepts') to the few types the agent sends and takes, all of mime-db was a sixth.
const SHIMS = { 'iconv-lite': './src/shims/iconvLite.ts', 'mime-types': './src/shims/mimeTypes.ts' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], alias: SHIMS };

// The SDK v2 client, which only backends speaking MCP 2026-07-28 need, is a file of its own beside the
// bundles, required on first use: inside a bundle, even never run, it cost the idle agent 2.6 MiB. Its
// entry, src/core/backends/modernSdk.ts, names what the agent uses; bundled from the package's ES module
// entry, the rest is shaken off.
const MODERN_CLIENT = 'mcp-client-v2.js';
const modernClientApart = {
  name: 'modern-client-apart',
  setup(build) {
    build.onResolve({ filter: /(^|\/)modernSdk$/ }, () => ({ path: `./${MODERN_CLIENT}`, external: true }));
    build.onResolve({ filter: /^@modelcontextprotocol\/client$/ }, () => ({
      errors: [{ text: 'the SDK v2 client is loaded through src/core/backends/modernSdk.ts, which keeps it out of this bundle' }],
    }));
  },
};

// Ajv (with its formats), which only validators that run need, is a file of its own beside the bundles
// too, required on first use; its entry, src/core/ajvValidator.ts, names what is used. The SDK's Server
// and Client import its Ajv provider: src/shims/ajvProvider.ts stands in with the agent's lazy validator.
const JSON_SCHEMA = 'json-schema.js';
const jsonSchemaApart = {
  name: 'json-schema-apart',
  setup(build) {
    build.onResolve({ filter: /(^|\/)ajvValidator$/ }, () => ({ path: `./${JSON_SCHEMA}`, external: true }));
    build.onResolve({ filter: /(^|\/)ajv-provider\.js$|^@modelcontextprotocol\/sdk\/validation\/ajv$/ }, () => ({ path: path.resolve('src/shims/ajvProvider.ts') }));
  },
};

// OpenTelemetry, which only an agent with an OTLP endpoint configured needs, is a file of its own too:
// src/core/activity/tracing.ts requires its entry, src/core/activity/otelSdk.ts, then and only then.
const OTEL = 'otel.js';
const otelApart = {
  name: 'otel-apart',
  setup(build) {
    build.onResolve({ filter: /(^|\/)otelSdk$/ }, () => ({ path: `./${OTEL}`, external: true }));
    build.onResolve({ filter: /^@opentelemetry\// }, () => ({
      errors: [{ text: 'OpenTelemetry is loaded through src/core/activity/otelSdk.ts, which keeps it out of this bundle' }],
    }));
  },
};

/** What every bundle that runs the agent's code keeps apart. */
const apart = [modernClientApart, jsonSchemaApart, otelApart];

// One entry file per zod API in a bundle, the one the SDK imports. A module loaded on first use (an
// import(); see src/core/http/lazyRoutes.ts) is evaluated lazily with everything it imports, zod
// included; a module evaluated at start that reached the same zod code through another entry file
// (zod/mini beside zod/v4-mini) would find it not yet evaluated: esbuild skips the initializer of a
// side-effect-free re-export file.
const ZOD_ENTRIES = { zod: 'zod/v4', 'zod/mini': 'zod/v4-mini' };
const oneZodEntry = {
  name: 'one-zod-entry',
  setup(build) {
    build.onResolve({ filter: /^zod(\/mini)?$/ }, (args) => build.resolve(ZOD_ENTRIES[args.path], { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir }));
  },
};

// What runs, dist/cli.js and dist/extension.js, are launchers (src/launch/): they load the bundle beside
// them with a V8 code cache kept under its hash, given to them here once the bundle is built.
const CLI_BUNDLE = 'cli.bundle.js';
const EXTENSION_BUNDLE = 'extension.bundle.js';
const SHEBANG = { js: '#!/usr/bin/env node' };

const builds = [
  // Always minified: the headless agent idles in its own process, and V8 keeps the whole source in
  // memory (as UTF-16 if a single character of it is not Latin-1). The source map stays beside it.
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/cli.ts'], outfile: `dist/${CLI_BUNDLE}`, plugins: [...apart, oneZodEntry] }),
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/core/backends/modernSdk.ts'], outfile: `dist/${MODERN_CLIENT}` }),
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/core/ajvValidator.ts'], outfile: `dist/${JSON_SCHEMA}` }),
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/core/activity/otelSdk.ts'], outfile: `dist/${OTEL}` }),
  // The stdio bridge alone, for the clients that start it: a third of the CLI, about 20 MiB less RSS.
  esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: ['src/bridge/main.ts'], outfile: 'dist/proxy.js', banner: SHEBANG, plugins: [...apart, oneZodEntry] }),
];
if (existsSync('src/extension/extension.ts')) {
  builds.push(esbuild.build({ ...node, charset: 'ascii', entryPoints: ['src/extension/extension.ts'], outfile: `dist/${EXTENSION_BUNDLE}`, external: ['vscode'], plugins: [...apart, oneZodEntry] }));
}
if (existsSync('webview/main.ts')) {
  builds.push(esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/main.ts'], outfile: 'media/dashboard.js' }));
}
const results = await Promise.all(builds);

// Each Node bundle must be ASCII: V8 holds a source with one character beyond Latin-1 as UTF-16, which
// doubles its memory and slows reading and compiling it at every start. `charset: 'ascii'` escapes
// strings and names; a tagged template's text cannot be escaped (its tag reads it raw): write an HTML
// entity there (`&hellip;`, `&middot;`). (The extension's development build keeps its comments.)
for (const bundle of [CLI_BUNDLE, ...(production ? [EXTENSION_BUNDLE] : []), MODERN_CLIENT, JSON_SCHEMA, OTEL, 'proxy.js']) {
  const file = path.join('dist', bundle);
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const at = text.search(/[\u0080-\uffff]/);
  if (at >= 0) throw new Error(`${file} is not ASCII: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}`);
}

/** The launcher of a bundle just built, told the bundle's file and the hash its code cache is kept under. */
function launcher(entry, bundle, outfile, extra = {}) {
  const hash = createHash('sha256').update(readFileSync(path.join('dist', bundle))).digest('hex').slice(0, 16);
  return esbuild.build({ ...node, minify: true, charset: 'ascii', entryPoints: [entry], outfile, define: { BUNDLE: JSON.stringify({ file: bundle, hash }) }, ...extra });
}
results.push(await launcher('src/launch/cli.ts', CLI_BUNDLE, 'dist/cli.js', { banner: SHEBANG }));
if (existsSync('src/extension/extension.ts')) results.push(await launcher('src/launch/extension.ts', EXTENSION_BUNDLE, 'dist/extension.js'));
if (metafile) {
  for (const result of results) {
    const [outfile] = Object.keys(result.metafile.outputs).filter((out) => out.endsWith('.js'));
    writeFileSync(path.join('dist', `${path.basename(outfile, '.js')}.meta.json`), JSON.stringify(result.metafile));
  }
}
