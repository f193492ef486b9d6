import type { AuthOptions } from './auth/authOptions';
import { LoggingApprovalBroker, type ApprovalBroker } from './auth/approvalBroker';
import { AuthorizationServer } from './auth/authorizationServer';
import type { Logger } from './logger';
import type { SecretStore } from './secrets/secretStore';
import type { AgentEventEmitter } from './state/agentEvents';

/** What the agent hands its client authorization server. */
export interface AgentAuthParts {
  readonly secrets: SecretStore;
  readonly logger: Logger;
  /** Where approvals are announced besides the user's broker: the agent's events. */
  readonly events: AgentEventEmitter;
  /** The `/oauth` dashboard, for the log's "approve it at …" when no broker asks the user. */
  readonly dashboardUrl: () => string | undefined;
  /** The tags a client may be granted: those of the configured servers. */
  readonly availableTags: () => readonly string[];
}

/**
 * The authorization server for the agent's clients: approvals go to the user's broker (a VS Code
 * notification, else the log) and out as the agent's events, so every window and the dashboard see them.
 */
export function createAuthServer(auth: AuthOptions, parts: AgentAuthParts): AuthorizationServer {
  const broker: ApprovalBroker = auth.broker ?? new LoggingApprovalBroker(parts.logger, parts.dashboardUrl);
  return new AuthorizationServer({
    ...auth,
    secrets: parts.secrets,
    broker: {
      requested: (approval) => {
        broker.requested(approval);
        parts.events.fireApprovalRequested(approval);
      },
      settled: (id, outcome) => {
        broker.settled(id, outcome);
        parts.events.fireApprovalSettled({ id, outcome });
      },
    },
    logger: parts.logger,
    availableTags: parts.availableTags,
  });
}
