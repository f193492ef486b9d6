// The import rules `npm run lint` holds the source to (.dependency-cruiser.cjs), run on a small tree
// laid out like src/: every wrong-way import in it is caught by its rule, and the right-way ones pass.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ICruiseResult } from 'dependency-cruiser';

const CONFIG = path.resolve(__dirname, '..', '..', '.dependency-cruiser.cjs');

/** Each file of the tree and what it imports; the comments say which rule a line breaks. */
const TREE: Record<string, string> = {
  'src/core/clock.ts': 'export const now = 1;\n',
  'src/core/http/route.ts': "import { now } from '../clock';\nexport const route = now;\n",
  // Climbs: config sits below http.
  'src/core/config/words.ts': "import { route } from '../http/route';\nexport const words = route;\n",
  // A circle of two, in types only.
  'src/core/backends/a.ts': "import type { B } from './b';\nexport type A = B | 1;\n",
  'src/core/backends/b.ts': "import type { A } from './a';\nexport type B = A | 2;\n",
  // The core never imports the editor.
  'src/core/state/view.ts': "import type * as vscode from 'vscode';\nexport type View = vscode.Disposable;\n",
  'src/core/agent.ts': "import { route } from './http/route';\nexport const agent = route;\n",
  // The bridge reaches the agent through a file of its own (the flags it shares with connect).
  'src/bridge/main.ts': "import { flags } from '../endpointFlags';\nexport const main = flags;\n",
  'src/endpointFlags.ts': "import { agent } from './core/agent';\nexport const flags = agent;\n",
  // A folder of the core that no layer names.
  'src/core/things/thing.ts': "import { now } from '../clock';\nexport const thing = now;\n",
  // The right way round: the extension imports the editor and the core, the bridge the backends.
  'src/extension/panel.ts': "import type * as vscode from 'vscode';\nimport { agent } from '../core/agent';\nexport const panel: [vscode.Disposable | undefined, number] = [undefined, agent];\n",
  'src/bridge/link.ts': "import type { A } from '../core/backends/a';\nexport type Link = A;\n",
};

describe('the import rules of npm run lint', () => {
  let root: string;
  let violations: { rule: string; from: string; to: string }[];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'onemcp-layers-'));
    for (const [file, text] of Object.entries(TREE)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const { cruise } = await import('dependency-cruiser');
    const { default: extractOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
    // The project's own rules and options; the tree has no tsconfig.json of its own.
    const { tsConfig: _projectTsConfig, ...options } = await extractOptions(CONFIG);
    const result = await cruise(['src'], { ...options, baseDir: root });
    violations = (result.output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  const caught = (rule: string): string[] => violations.filter((v) => v.rule === rule).map((v) => `${v.from} -> ${v.to}`);

  it('refuses an import that climbs the layers of src/core', () => {
    assert.deepEqual(caught('core-layer-config'), ['src/core/config/words.ts -> src/core/http/route.ts']);
  });

  it('refuses a circle, even of type-only imports', () => {
    // Reported once, at the import where the cruise closes it.
    const circles = caught('no-circular');
    assert.equal(circles.length, 1);
    assert.deepEqual(circles.flatMap((c) => c.split(' -> ')).sort(), ['src/core/backends/a.ts', 'src/core/backends/b.ts']);
  });

  it("refuses 'vscode' outside src/extension", () => {
    assert.deepEqual(caught('vscode-only-in-the-extension'), ['src/core/state/view.ts -> vscode']);
  });

  it('refuses a bridge that reaches the agent, however indirectly', () => {
    assert.deepEqual(caught('bridge-without-the-agent').sort(), ['src/bridge/main.ts -> src/core/agent.ts', 'src/bridge/main.ts -> src/core/http/route.ts']);
  });

  it('refuses a core folder that no layer names', () => {
    assert.deepEqual(caught('core-layer-unknown'), ['src/core/things/thing.ts -> src/core/clock.ts']);
  });

  it('lets every import that points down through, and flags nothing else', () => {
    const expected = ['core-layer-config', 'no-circular', 'vscode-only-in-the-extension', 'bridge-without-the-agent', 'core-layer-unknown'];
    assert.deepEqual(violations.filter((v) => !expected.includes(v.rule)), []);
  });
});
