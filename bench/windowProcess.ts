/**
 * One "VS Code window" for the takeover benchmark: serves or follows the shared agent on BENCH_PORT with
 * the window key BENCH_WINDOW_KEY, the way the extension does, without VS Code. Prints its role when it
 * has one. `node --import tsx bench/windowProcess.ts <mcp.json>`
 */
import { Agent } from '../src/core/agent';
import { SharedAgent } from '../src/core/control/sharedAgent';
import { silentLogger } from '../src/core/logger';
import { ReplicatedSecretStore } from '../src/core/secrets/replicatedSecretStore';
import { MemorySecretStore } from '../src/core/secrets/secretStore';
import { idleState } from '../src/core/state/agentState';

const configPath = process.argv[2] ?? '';
const port = Number(process.env.BENCH_PORT);
const key = process.env.BENCH_WINDOW_KEY ?? '';
const secrets = new ReplicatedSecretStore(new MemorySecretStore());
const servedBy = { kind: 'editor' as const, label: `bench window ${process.pid}`, pid: process.pid };
const shared = new SharedAgent({
  host: '127.0.0.1',
  port,
  key: async () => key,
  secrets,
  logger: silentLogger,
  idleState: () => idleState({ configPath, host: '127.0.0.1', port, auth: { enabled: false, scopeValidation: false } }),
  createAgent: () =>
    new Agent({
      configPath,
      port,
      logger: silentLogger,
      secrets,
      watchConfig: false,
      servedBy,
      control: { key: async () => key, secrets, host: { restartAgent: async () => undefined, stopAgent: async () => undefined, editorToken: () => Promise.reject(new Error('none')) } },
    }),
});
let said = '';
shared.events.onDidChangeState((state) => {
  // A following window counts once its control channel is open (before, it shows the agent from its note or /health).
  if (state.role && state.role !== said && !state.partial) process.stdout.write(`${(said = state.role)}\n`);
});
// Alive until stopped, as an extension host is (the shared agent's timers do not keep a process up).
setInterval(() => undefined, 1 << 30);
void shared.join().then((joined) => {
  if (!joined.ok) process.exit(1);
});
process.on('SIGTERM', () => void shared.dispose().then(() => process.exit(0)));
