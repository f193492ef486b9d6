import type { ApprovalOutcome, PendingApproval } from '../../core/auth/approvalBroker';
import { describeRequestOrigin, originWarning } from '../../core/auth/requestOrigin';
import type { PendingConnection } from '../../core/backends/oauth/backendOAuth';

/** "tags a, b", or what a request without tag scopes amounts to. */
function tagList(tags: readonly string[]): string {
  if (tags.length === 0) return 'your MCP servers (no particular tags)';
  return `${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')}`;
}

/**
 * The notification for a client's authorization request. The name is the client's own claim, so it is
 * quoted, after where the request came from (the agent's socket's word, not the client's); the editor's
 * own client says what it is.
 */
export function approvalRequestText(approval: PendingApproval): string {
  const inProcess = approval.origin.kind === 'in-process';
  const who = inProcess ? `VS Code’s own MCP client ("${approval.clientName}")` : `From ${describeRequestOrigin(approval.origin)}: "${approval.clientName}"`;
  const where = approval.redirectUri === undefined ? '' : ` It will return to ${approval.redirectUri}.`;
  const warning = originWarning(approval.origin);
  return `1MCP: ${who} asks for access to ${tagList(approval.requestedTags)}.${where}${warning ? ` ${warning}` : ''}`;
}

const OUTCOME_TEXT: Record<ApprovalOutcome['status'], string> = {
  approved: 'was approved',
  denied: 'was denied',
  expired: 'expired before anyone decided',
};

/** Said when a decision comes too late: the request was already settled elsewhere, or expired. */
export function approvalOutcomeText(clientName: string, outcome: ApprovalOutcome['status']): string {
  return `1MCP: the request from "${clientName}" ${OUTCOME_TEXT[outcome]}.`;
}

/** The prompt after a backend sign-in finished at the service. */
export function connectionPromptText(pending: PendingConnection): string {
  const scopes = pending.scopes.length > 0 ? ` (scopes: ${pending.scopes.join(', ')})` : '';
  return `1MCP: Connect ${pending.backend}? You signed in at the service${scopes}. Approve to let the agent use this sign-in for every client; Deny discards it.`;
}
