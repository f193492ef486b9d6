import * as z from 'zod';
import type { ActivityRecord } from '../../activity/activityRecord';
import type { ActivitySnapshot } from '../../activity/activityRing';
import type { ApprovalOutcome, PendingApproval } from '../../auth/approvalBroker';
import type { AgentState } from '../../state/agentState';
import { CONFIRM_ANSWERS } from '../../integrity/callConfirmations';

/**
 * The control channel between VS Code windows: the serving agent's state, approvals and stored secrets
 * pushed to the windows that follow it, and their actions sent back. Only a peer proving the window key
 * (kept in VS Code's SecretStorage, shared by the windows of a profile) gets in; see controlRoute.ts.
 *
 * 1. `GET /control/challenge?nonce=N` answers `{ challenge, proof }` where `proof` is the agent's proof
 *    for N: the window checks it before it sends anything, so a process that is not our agent never
 *    learns a window's proof, let alone the key.
 * 2. `GET /control/events` with `X-1MCP-Window-Proof: <challenge>.<window proof>` (single use) opens an
 *    event stream whose first event names the session; actions carry it in `X-1MCP-Window-Session`.
 */
export const CONTROL_PATHS = { challenge: '/control/challenge', events: '/control/events', actions: '/control/actions' } as const;
export const WINDOW_PROOF_HEADER = 'x-1mcp-window-proof';
export const WINDOW_SESSION_HEADER = 'x-1mcp-window-session';

/** Why the serving agent is going away: followers wait for it (restart), stop too (stop) or take over (shutdown). */
export type CloseReason = 'restart' | 'stop' | 'shutdown';

/** What the serving agent pushes to a following window, one JSON object per event-stream message. */
export type ControlEvent =
  | { readonly type: 'session'; readonly session: string }
  | { readonly type: 'state'; readonly state: AgentState }
  | { readonly type: 'approvalRequested'; readonly approval: PendingApproval }
  | { readonly type: 'approvalSettled'; readonly id: string; readonly outcome: ApprovalOutcome['status'] }
  /** A call was recorded. */
  | { readonly type: 'activity'; readonly record: ActivityRecord }
  /** The whole activity record: on joining, and whenever it changes as a whole (history read back). */
  | { readonly type: 'activitySnapshot'; readonly snapshot: ActivitySnapshot }
  /** A stored secret the agent uses changed (`value` absent: deleted); followers keep it for a takeover. */
  | { readonly type: 'secret'; readonly key: string; readonly value?: string }
  | { readonly type: 'closing'; readonly reason: CloseReason };

const name = z.string().min(1).max(200);

/** What a following window asks the serving agent (or its window) to do. */
export const controlActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('restartBackend'), name }),
  z.object({ action: z.literal('decideApproval'), id: name, approve: z.boolean(), tags: z.array(name).max(200).default([]) }),
  z.object({ action: z.literal('revokeClient'), clientId: name }),
  z.object({ action: z.literal('authorizeBackend'), name }),
  z.object({ action: z.literal('signOutBackend'), name }),
  z.object({ action: z.literal('decideConnection'), backend: name, approve: z.boolean() }),
  z.object({ action: z.literal('restartAgent') }),
  z.object({ action: z.literal('stopAgent') }),
  z.object({ action: z.literal('acceptTools'), server: name, tools: z.array(name).max(500).optional(), seen: z.record(name, z.string().max(100)).optional() }),
  z.object({ action: z.literal('answerConfirmation'), id: name, answer: z.enum(CONFIRM_ANSWERS) }),
  /** An access token for the editor's own MCP client in the asking window (the serving window holds its grant). */
  z.object({ action: z.literal('editorToken') }),
]);
export type ControlAction = z.input<typeof controlActionSchema>;

/** Tokens for the editor's own MCP client, as the serving window hands them to another window. */
export interface EditorToken {
  readonly accessToken: string;
  /** Seconds until it expires. */
  readonly expiresIn: number;
}

/**
 * What the process hosting the serving agent does for the control channel beyond the agent itself:
 * restart or stop it (in VS Code, the serving window's agent host), and hand out the editor's token.
 */
export interface ControlHost {
  restartAgent(): Promise<void>;
  stopAgent(): Promise<void>;
  editorToken(): Promise<EditorToken>;
}
