// The extension's package.json against the code: the command table, menus, welcome links, settings,
// context keys and the MCP provider id. Plain Node: nothing here loads 'vscode'.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';
import { contextKeys } from '../../src/extension/render/contextKeys';
import { MCP_PROVIDER_ID } from '../../src/extension/render/mcpDefinition';
import { STATUS_BAR_LINKS } from '../../src/extension/render/statusBarView';
import { readSettings } from '../../src/extension/settings';
import { DASHBOARD_COMMANDS } from '../../src/shared/dashboardProtocol';

interface Manifest {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
    mcpServerDefinitionProviders: { id: string }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const declared = manifest.contributes.commands.map((c) => c.command);
const tableIds = Object.keys(COMMANDS);

describe('extension manifest', () => {
  it('declares exactly the commands of the command table, each in the "1MCP" palette category', () => {
    assert.deepEqual([...declared].sort(), [...tableIds].sort());
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, '1MCP', command.command);
      assert.ok(command.title.length > 0, command.command);
    }
  });

  it('menus, welcome links, the status bar tooltip and the dashboard only name declared commands', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(declared.includes(item.command), `${menu}: ${item.command}`);
    }
    for (const welcome of manifest.contributes.viewsWelcome) {
      for (const [, command] of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(declared.includes(command ?? ''), command);
    }
    for (const command of [...STATUS_BAR_LINKS, ...DASHBOARD_COMMANDS]) assert.ok(declared.includes(command), command);
  });

  it('every context key a when-clause reads is one the extension sets', () => {
    const whens = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.viewsWelcome].map((i) => i.when ?? '');
    const used = new Set(whens.map((w) => w.replace(/view == [\w.]+/g, '')).flatMap((w) => [...w.matchAll(/onemcp\.\w+/g)].map((m) => m[0])));
    const state = { phase: 'running', configPath: '', host: '', port: 0, sessions: 0, backends: [], pendingConnections: [], pendingApprovals: [], clients: [], toolReviews: [], pendingConfirmations: [] } as const;
    const set = Object.keys(contextKeys({ ...state, auth: { enabled: false, scopeValidation: false } }));
    for (const key of used) assert.ok(set.includes(key), key);
  });

  it('contributes every setting the extension reads, with the same defaults', () => {
    const properties = manifest.contributes.configuration.properties;
    const read: string[] = [];
    const defaults = readSettings((key) => {
      read.push(`onemcp.${key}`);
      return properties[`onemcp.${key}`]?.default;
    });
    assert.deepEqual(read.sort(), Object.keys(properties).sort());
    assert.deepEqual({ port: defaults.port, host: defaults.host, defaultConfig: defaults.defaultConfig, autoStart: defaults.autoStart, logLevel: defaults.logLevel }, {
      port: 3050,
      host: '127.0.0.1',
      defaultConfig: true,
      autoStart: true,
      logLevel: 'info',
    });
  });

  it('in an untrusted workspace, ignores workspace values of every setting that decides what runs or where it listens', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    const settings = Object.keys(manifest.contributes.configuration.properties);
    for (const key of trust.restrictedConfigurations) assert.ok(settings.includes(key), key);
    for (const key of ['onemcp.configPath', 'onemcp.host', 'onemcp.port', 'onemcp.auth.enabled']) assert.ok(trust.restrictedConfigurations.includes(key), key);
  });

  it('activates on startup, has its views in its own container, and registers the MCP provider it declares', () => {
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
    assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), ['onemcp']);
    assert.deepEqual(manifest.contributes.views.onemcp?.map((v) => v.id), ['onemcp.backends', 'onemcp.clients', 'onemcp.activity']);
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id), [MCP_PROVIDER_ID]);
  });
});
