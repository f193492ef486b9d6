import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { ProxyError } from '../rpcError';

type HandlerExtra = Parameters<Parameters<Server['setRequestHandler']>[1]>[1];

/** A request schema of the SDK's: a zod object whose `method` is one literal. */
interface RequestSchema<T> {
  readonly shape: { readonly method: { readonly value: unknown } };
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Registers `handler` for `schema`'s method, checking the request ourselves: one the schema refuses is
 * -32602 naming the first problem (JSON-RPC 2.0 §5.1 "Invalid params"), where the SDK Server would
 * answer -32603 with its validation dump.
 */
export function onCheckedRequest<T>(server: Server, schema: RequestSchema<T>, handler: (request: T, extra: HandlerExtra) => unknown): void {
  const method = String(schema.shape.method.value);
  server.setRequestHandler(z.looseObject({ method: z.literal(method) }), (request, extra) => {
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.map(String).join('.') || 'params';
      throw new ProxyError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${where} ${issue?.message.replace(/^Invalid input: /, '') ?? 'is not valid'}`);
    }
    return handler(parsed.data, extra) as never;
  });
}
