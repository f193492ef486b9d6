import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../logger';
import { redactSecrets } from '../redact';
import { describeRpcError, refusedVersions, rpcErrorFromMcp, type RpcError } from '../rpcError';
import { SpawnError } from './spawnError';
import { StdioProcessTransport } from './stdioTransport';
import { HttpStatusError } from './backendHttp';

/** Why a backend last failed, as every view and `/health` show it; nothing secret in it. */
export interface BackendError {
  /** What happened, in one line, with anything that looks like a secret cut out. */
  readonly message: string;
  /** The process's exit code or signal, when a stdio backend's process ended. */
  readonly exitCode?: number;
  readonly signal?: string;
  /** The last line the process wrote to stderr that reads like an error, else its last line (secrets cut out). */
  readonly stderr?: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A restart the backend waits for after a failure. */
export interface RestartPlan {
  /** 1 for the first restart after a failure. */
  readonly attempt: number;
  /** `maxRestarts`: the last attempt before the backend stays in `error`. */
  readonly of: number;
  /** Epoch milliseconds when it starts. */
  readonly at: number;
}

/**
 * Describes a failed connection. When a stdio process has ended, how it ended is the news (the
 * connection closing is only its consequence); a JSON-RPC error reads as the server's own words.
 * `redact` cuts secrets out of the message (see SecretValues.redact).
 */
export function describeFailure(error: unknown, transport: Transport | undefined, stderr: string | undefined, at: number, redact = redactSecrets): BackendError {
  const child = transport instanceof StdioProcessTransport ? transport : undefined;
  const exit = child?.exitReason !== undefined && child.exitReason !== 'closed' ? child.exitReason : undefined;
  const message = exit !== undefined && isConnectionClosed(error) ? exit : withExit(failureText(error), exit);
  return {
    message: redact(message),
    exitCode: child?.exitCode,
    signal: child?.exitSignal,
    stderr,
    at,
  };
}

/**
 * Whether waiting and trying again cannot help, only a config change or the user's Restart: a command
 * that is not there, or a server that refused our protocol version (it named the ones it speaks).
 */
export function isPermanent(error: unknown): boolean {
  if (error instanceof SpawnError) return error.permanent;
  // An explanation wrapped around the server's refusal is as permanent as the refusal.
  if (!(error instanceof HttpStatusError) && !(error instanceof McpError) && error instanceof Error && error.cause !== undefined) return isPermanent(error.cause);
  const rpcError = rpcErrorOfFailure(error);
  return rpcError !== undefined && refusedVersions(rpcError) !== undefined;
}

/** The JSON-RPC error a backend answered with: in an HTTP answer's body, or as an McpError. */
export function rpcErrorOfFailure(error: unknown): RpcError | undefined {
  if (error instanceof HttpStatusError) return error.rpcError;
  if (error instanceof McpError) return rpcErrorFromMcp(error);
  return undefined;
}

function failureText(error: unknown): string {
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout && typeof (error.data as { timeout?: unknown } | undefined)?.timeout === 'number') {
      return `no answer within ${(error.data as { timeout: number }).timeout} ms`;
    }
    if (error.code === ErrorCode.ConnectionClosed) return 'connection closed';
    return describeRpcError(rpcErrorFromMcp(error));
  }
  return errorMessage(error);
}

function isConnectionClosed(error: unknown): boolean {
  return error instanceof McpError ? error.code === ErrorCode.ConnectionClosed : /connection closed/i.test(errorMessage(error));
}

function withExit(message: string, exit: string | undefined): string {
  return exit === undefined || message.includes(exit) ? message : `${message} (${exit})`;
}
