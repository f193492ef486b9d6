/** SDK v2 clients pinned to MCP 2026-07-28 (stateless: `server/discover`, per-request `_meta`, no session). */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export const MODERN = '2026-07-28';

/** A modern client connected to `url`; it answers elicitation with `name` and sampling with a fixed text. */
export async function connectModernClient(url: string, options: { name?: string; capabilities?: Record<string, unknown>; headers?: Record<string, string> } = {}): Promise<Client> {
  const capabilities = options.capabilities ?? { elicitation: { form: {} }, sampling: {} };
  const client = new Client({ name: 'modern-test-client', version: '1.0.0' }, { capabilities, versionNegotiation: { mode: { pin: MODERN } } });
  if ('elicitation' in capabilities) client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: options.name ?? 'Ada' } }));
  if ('sampling' in capabilities) {
    client.setRequestHandler('sampling/createMessage', async (request) => ({
      role: 'assistant',
      model: 'test-model',
      content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    }));
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: options.headers ?? {} } }));
  return client;
}

/** Posts one raw JSON-RPC message to the endpoint, the way a modern client would, and returns status and body. */
export async function postModern(url: string, message: object, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: { result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } } }> {
  const method = (message as { method?: string }).method ?? '';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': method, ...headers },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/** `_meta` of a modern request. */
export function envelope(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, ...extra };
}
