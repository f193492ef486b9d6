/**
 * What the agent uses of the SDK v2 client. This file is the entry of a bundle of its own,
 * `dist/mcp-client-v2.js`, built from the package's ES module entry so that only these classes and what
 * they reach are kept; the agent requires it on first use (see `modernSdk()` in modernBackendClient.ts).
 */
export { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
