/** Several "windows" on plain Node: SharedAgents on one port, each with its own secret store and one window key. */
import { Agent } from '../../src/core/agent';
import type { AuthOptions } from '../../src/core/auth/authOptions';
import { SharedAgent } from '../../src/core/control/sharedAgent';
import { WindowKey } from '../../src/core/control/windowKey';
import { silentLogger } from '../../src/core/logger';
import { ReplicatedSecretStore } from '../../src/core/secrets/replicatedSecretStore';
import { MemorySecretStore, type SecretStore } from '../../src/core/secrets/secretStore';
import { idleState, type AgentState } from '../../src/core/state/agentState';

export { freePort } from './ports';

export interface WindowOptions {
  readonly port: number;
  readonly configPath: string;
  readonly label: string;
  /** Where the window key lives: share one store between windows of one user. */
  readonly keys: SecretStore;
  /** This window's own SecretStorage (default: a fresh, empty one, as a code-server tab that loaded early). */
  readonly store?: SecretStore;
  readonly auth?: AuthOptions;
  /** The activity record's file, shared by the windows of a user as VS Code's global storage is. */
  readonly activityFile?: string;
  /** The serving window's note for windows that open meanwhile, shared by the windows of a user. */
  readonly noteFile?: string;
  /** What the serving window does when another window asks it to restart or stop. */
  readonly onHostAction?: (action: 'restartAgent' | 'stopAgent') => void;
}

/** One VS Code window's view of the shared agent, as the extension builds it (minus VS Code). */
export interface TestWindow {
  readonly shared: SharedAgent;
  readonly secrets: ReplicatedSecretStore;
  readonly store: SecretStore;
}

export function testWindow(options: WindowOptions): TestWindow {
  const store = options.store ?? new MemorySecretStore();
  const secrets = new ReplicatedSecretStore(store);
  const windowKey = new WindowKey(options.keys);
  const auth = { enabled: options.auth?.enabled ?? false, scopeValidation: options.auth?.scopeValidation ?? false };
  const idle = (): AgentState => idleState({ configPath: options.configPath, host: '127.0.0.1', port: options.port, auth });
  const shared: SharedAgent = new SharedAgent({
    host: '127.0.0.1',
    port: options.port,
    key: (fresh) => windowKey.get(fresh),
    secrets,
    logger: silentLogger,
    idleState: idle,
    noteFile: options.noteFile,
    createAgent: () =>
      new Agent({
        configPath: options.configPath,
        host: '127.0.0.1',
        port: options.port,
        logger: silentLogger,
        secrets,
        auth: options.auth,
        activity: { file: options.activityFile },
        watchConfig: false,
        servedBy: { kind: 'editor', label: options.label, pid: process.pid },
        control: {
          key: (fresh) => windowKey.get(fresh),
          secrets,
          host: {
            restartAgent: async () => options.onHostAction?.('restartAgent'),
            stopAgent: async () => options.onHostAction?.('stopAgent'),
            editorToken: () => Promise.reject(new Error('no editor here')),
          },
        },
      }),
  });
  return { shared, secrets, store };
}
