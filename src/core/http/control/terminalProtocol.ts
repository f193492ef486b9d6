import * as z from 'zod';

/**
 * What a terminal on this machine (`onemcp tools review|accept`) asks of the agent that serves, whether
 * the CLI or a VS Code window serves it. Reading is for any program of this machine (no browser, no
 * proxy: as `/health` details); accepting also proves the terminal key (terminalKey.ts):
 *
 * 1. `GET /tool-reviews` answers `{ reviews }`: the tools held back, with their pinned and offered definitions.
 * 2. `GET /tool-reviews/challenge?nonce=N` answers `{ challenge, proof }` where `proof` is the agent's
 *    proof of the key for N: the terminal checks it before it sends anything.
 * 3. `POST /tool-reviews/accept` with `{ server, tools? }` and `X-1MCP-Terminal-Proof: <challenge>.<proof>`,
 *    the terminal's proof for that challenge and this very body (single use), answers `{ accepted }`.
 */
export const TERMINAL_PATHS = { reviews: '/tool-reviews', challenge: '/tool-reviews/challenge', accept: '/tool-reviews/accept' } as const;
export const TERMINAL_PROOF_HEADER = 'x-1mcp-terminal-proof';

const name = z.string().min(1).max(200);

/** The body of an accept: the server, and its tools to accept (all it holds when absent). */
export const acceptToolsSchema = z.object({ server: name, tools: z.array(name).min(1).max(500).optional() }).strict();
export type AcceptTools = z.infer<typeof acceptToolsSchema>;

/** What the terminal's proof covers: the challenge and the request, so a proof cannot be spent on another request. */
export function terminalProofText(challenge: string, request: AcceptTools): string {
  return `${challenge}\n${JSON.stringify({ server: request.server, tools: request.tools ?? null })}`;
}
