import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { ProxyError } from '../rpcError';
import type { RefusedBy } from './activityRecord';

/**
 * A call the agent refuses before it reaches a server, by the caller's selection of backends, its
 * token's grant (`scope`) or the config and the user (`policy`). The client is told `message` and `data`
 * (of a backend outside its grant it learns nothing, so that reads "not found"); the activity record
 * keeps `reason`.
 */
export class CallRefused extends ProxyError {
  /** What the activity record says of it. */
  readonly reason: string;
  /** The backend the call would have reached, and the target by its own name. */
  readonly server?: string;
  readonly serverTarget?: string;

  constructor(readonly by: RefusedBy, message: string, options: { readonly reason?: string; readonly server?: string; readonly serverTarget?: string; readonly data?: unknown } = {}) {
    super(ErrorCode.InvalidParams, message, options.data);
    this.name = 'CallRefused';
    this.reason = options.reason ?? message;
    this.server = options.server;
    this.serverTarget = options.serverTarget;
  }
}
