// An MCP client outside the editor, as any other AI client would connect to the agent.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export async function withMcpClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ name: 'e2e-outside-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  try {
    return await use(client);
  } finally {
    // End the session on the agent too, so session counts only see the editor's own client.
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}

export async function toolNames(url: string): Promise<string[]> {
  return withMcpClient(url, async (client) => (await client.listTools()).tools.map((t) => t.name).sort());
}

/** The agent's /health answer, or undefined when nothing answers on that port. */
export async function health(port: number): Promise<{ sessions: number; backends: { name: string; status: string; tools: number }[] } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return response.ok ? ((await response.json()) as Awaited<ReturnType<typeof health>>) : undefined;
  } catch {
    return undefined;
  }
}
