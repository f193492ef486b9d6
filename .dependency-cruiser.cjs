// The import rules `npm run lint` holds the source to (dependency-cruiser); CONTRIBUTING.md "Layers"
// draws them. test/unit/layers.test.ts shows that each rule catches a wrong-way import.

/** src/core from the bottom up: a file imports from its own layer and the layers below it, never above. */
const CORE_LAYERS = [
  { name: 'ground', path: '^src/core/(?!agent(Options|Auth)?\\.ts$)[^/]+\\.ts$' },
  { name: 'filter', path: '^src/core/filter/' },
  { name: 'config', path: '^src/core/config/' },
  { name: 'registry', path: '^src/core/registry/' },
  { name: 'secrets', path: '^src/core/secrets/' },
  { name: 'clients', path: '^src/core/clients/' },
  { name: 'backends', path: '^src/core/backends/' },
  { name: 'integrity', path: '^src/core/integrity/' },
  { name: 'auth', path: '^src/core/auth/' },
  { name: 'activity', path: '^src/core/activity/' },
  { name: 'aggregate', path: '^src/core/aggregate/' },
  { name: 'search', path: '^src/core/search/' },
  { name: 'sessions', path: '^src/core/sessions/' },
  { name: 'state', path: '^src/core/state/' },
  { name: 'http', path: '^src/core/http/' },
  { name: 'agent', path: '^src/core/agent(Options|Auth)?\\.ts$' },
  { name: 'control', path: '^src/core/control/' },
];

/** What the stdio bridge (dist/proxy.js, bundled alone) may reach: itself, its flags, and core below the hub. */
const BRIDGE_REACHES = '^src/(bridge/|endpointFlags\\.ts$|usageError\\.ts$|core/((?!agent(Options|Auth)?\\.ts$)[^/]+\\.ts$|filter/|config/|secrets/|backends/))';

const VSCODE = '^(vscode$|node_modules/@types/vscode/)';

const layerRules = CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `core-layer-${layer.name}`,
  comment: `src/core/${layer.name === 'ground' ? '*.ts' : layer.name} imports only from its own layer and those below it: ${CORE_LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')}`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: CORE_LAYERS.slice(i + 1).map((l) => `(${l.path})`).join('|') },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'core-layer-unknown',
      comment: 'every file of src/core belongs to a layer: add a new folder to CORE_LAYERS (and to CONTRIBUTING.md)',
      severity: 'error',
      from: { path: '^src/core/', pathNot: CORE_LAYERS.map((l) => `(${l.path})`).join('|') },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no file imports itself back, however far round (type-only imports count)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stands-alone',
      comment: 'src/core is a plain Node library: it imports nothing of the hosts, the bridge, the views',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src/(?!core/)|webview/)' },
    },
    {
      name: 'vscode-only-in-the-extension',
      comment: "only src/extension imports 'vscode'; the core, the CLI and the bridge run on plain Node",
      severity: 'error',
      from: { pathNot: '^src/extension/' },
      to: { path: VSCODE },
    },
    {
      name: 'bridge-without-the-agent',
      comment: 'the stdio bridge never reaches the agent, the hub or the HTTP server: it is bundled alone, for the clients that start it',
      severity: 'error',
      from: { path: '^src/bridge/' },
      to: { path: '^src/', pathNot: BRIDGE_REACHES, reachable: true },
    },
    {
      name: 'webview-renders-only',
      comment: 'the dashboard webview imports only itself and the message schemas in src/shared',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^src/(?!shared/)' },
    },
  ],
  options: {
    // A type that climbs is a climb too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
