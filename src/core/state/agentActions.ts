import type { ApprovalDecision } from '../auth/approvalBroker';
import type { ConfirmAnswer } from '../integrity/callConfirmations';

/**
 * What a person can do to a running agent from any view (tree, dashboard, palette, notifications),
 * whether this process serves it or another one does. Unknown names and requests that are no longer
 * waiting are `HttpError` 404.
 */
export interface AgentActions {
  /** Reconnects one backend with a fresh restart budget. */
  restartBackend(name: string): Promise<void>;
  /** Approves (with the tags to grant) or denies a pending client authorization request. */
  decideApproval(id: string, decision: ApprovalDecision): Promise<void>;
  /** Forgets a registered client and every token it holds; false if there was no such client. */
  revokeClient(clientId: string): Promise<boolean>;
  /** Starts signing in to a backend: the service's page to open, or undefined when stored credentials sufficed. */
  authorizeBackend(name: string): Promise<string | undefined>;
  /** Deletes a backend's sign-in; it returns to Awaiting OAuth. */
  signOutBackend(name: string): Promise<void>;
  /** The user's answer to "connect this backend with the sign-in just obtained?". */
  decideConnection(backend: string, approve: boolean): Promise<void>;
  /**
   * Accepts tools of `server` held back by their pins (all of them when `tools` is absent): clients see
   * them again. `seen` maps a tool to the hash the user reviewed; one that changed again since is
   * HttpError 409. Returns the tools accepted.
   */
  acceptTools(server: string, tools?: readonly string[], seen?: Readonly<Record<string, string>>): Promise<readonly string[]>;
  /** The user's answer to a call waiting for confirmation (`state.pendingConfirmations`). */
  answerConfirmation(id: string, answer: ConfirmAnswer): Promise<void>;
}
