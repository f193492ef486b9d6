import type { Aggregator } from '../aggregate/aggregator';
import type { BackendConnection } from '../backends/backendConnection';
import type { BackendOAuth } from '../backends/oauth/backendOAuth';
import type { BackendState } from './agentState';

/** The snapshot of one backend that every view renders. */
export function describeBackend(backend: BackendConnection, hub: Aggregator, oauth: BackendOAuth): BackendState {
  const { config } = backend;
  const tools = [...hub.catalog.tools.values()]
    .filter((e) => e.backend === backend.name)
    .map((e) => ({ name: e.item.name, title: e.item.title, description: e.item.description }));
  return {
    name: backend.name,
    type: config.type,
    status: backend.status,
    reason: backend.reason,
    lastError: backend.lastError,
    nextRestart: backend.nextRestart,
    stderr: backend.stderrTail,
    tags: config.tags,
    disabledTools: config.disabledTools,
    tools,
    restarts: backend.restarts,
    lastConnectedAt: backend.lastConnectedAt,
    signedIn: oauth.isSignedIn(backend.name),
    authorizationUrl: backend.status === 'awaiting_oauth' ? oauth.authorizationUrlFor(backend.name) : undefined,
    warnings: hub.collisionsOf(backend.name).map((c) => `${c.kind} "${c.name}" hidden: already provided by "${c.keptBy}"`),
  };
}
