import { defaultStateDir } from './core/config/configPath';
import { requestJson } from './core/control/controlClient';
import { controlProof, newControlSecret, verifyControlProof } from './core/http/control/controlProof';
import { TERMINAL_PATHS, TERMINAL_PROOF_HEADER, terminalProofText, type AcceptTools } from './core/http/control/terminalProtocol';
import { readTerminalKey, TERMINAL_KEY_FILE } from './core/integrity/terminalKey';
import { definitionText } from './core/integrity/toolDefinition';
import type { ToolReview } from './core/integrity/toolPins';
import { errorMessage } from './core/logger';
import { agentBase } from './servingAgent';
import { UsageError } from './usageError';

/**
 * `onemcp tools review [--json]`: the tools the agent holds back, each with its pinned and offered
 * definition. `onemcp tools accept <server> [<tool>...]`: clients see them again. Both ask the agent
 * at `--host`/`--port`, whether the CLI or a VS Code window serves it; accepting proves the terminal key.
 */
export async function runToolReviewCommand(action: 'review' | 'accept', args: readonly string[], values: { readonly json?: boolean; readonly host?: string; readonly port?: string }, env: NodeJS.ProcessEnv): Promise<number> {
  const base = agentBase(values, env);
  if (action === 'review') {
    if (args.length) throw new UsageError(`onemcp tools review takes no names, got: ${args.join(' ')}`);
    const reviews = await fetchReviews(base);
    process.stdout.write(values.json ? `${JSON.stringify({ agent: base, reviews }, null, 2)}\n` : reviewText(base, reviews));
    return 0;
  }
  if (values.json) throw new UsageError('--json is for onemcp tools review');
  const [server, ...named] = args;
  if (server === undefined) throw new UsageError('onemcp tools accept takes a server and, optionally, some of its tools: onemcp tools accept <server> [<tool>...]');
  // The name clients see (<server>_1mcp_<tool>) names the same tool.
  const tools = named.map((tool) => (tool.startsWith(`${server}_1mcp_`) ? tool.slice(server.length + 6) : tool));
  const accepted = await accept(base, { server, ...(tools.length && { tools }) }, env);
  for (const tool of accepted) process.stdout.write(`Accepted "${tool}" of "${server}": clients see it again.\n`);
  return 0;
}

async function fetchReviews(base: string): Promise<ToolReview[]> {
  const { status, body } = await ask(base, () => requestJson('GET', `${base}${TERMINAL_PATHS.reviews}`));
  const reviews = (body as { reviews?: unknown } | undefined)?.reviews;
  if (status !== 200 || !Array.isArray(reviews)) throw new Error(refusal(base, status, body));
  return reviews as ToolReview[];
}

async function accept(base: string, request: AcceptTools, env: NodeJS.ProcessEnv): Promise<string[]> {
  const dir = defaultStateDir(env);
  const key = await readTerminalKey(dir);
  if (!key) throw new Error(`No terminal key in ${dir}: the agent makes ${TERMINAL_KEY_FILE} there when it starts. Run this as the user the agent runs as (with the same XDG_CONFIG_HOME).`);
  const nonce = newControlSecret();
  const challenged = await ask(base, () => requestJson('GET', `${base}${TERMINAL_PATHS.challenge}?nonce=${nonce}`));
  const { challenge, proof } = (challenged.body ?? {}) as { challenge?: unknown; proof?: unknown };
  if (challenged.status !== 200 || typeof challenge !== 'string' || typeof proof !== 'string') throw new Error(refusal(base, challenged.status, challenged.body));
  if (!verifyControlProof(key, 'agent', nonce, proof)) throw new Error(`The agent at ${base} does not hold the terminal key of ${dir}: it runs as another user, or with another state folder.`);
  const headers = { [TERMINAL_PROOF_HEADER]: `${challenge}.${controlProof(key, 'terminal', terminalProofText(challenge, request))}` };
  const { status, body } = await requestJson('POST', `${base}${TERMINAL_PATHS.accept}`, request, headers);
  const accepted = (body as { accepted?: unknown } | undefined)?.accepted;
  if (status !== 200 || !Array.isArray(accepted)) throw new Error(refusal(base, status, body));
  return accepted as string[];
}

/** A request to the agent; a clear error when none listens there. */
async function ask<T>(base: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') throw new Error(`No agent at ${base}: tools are held back only while an agent runs (it checks them against their pins when it starts). Use --host and --port for another agent.`, { cause: error });
    throw new Error(`The agent at ${base} did not answer: ${errorMessage(error)}`, { cause: error });
  }
}

function refusal(base: string, status: number, body: unknown): string {
  const { error_description: description } = (body ?? {}) as { error_description?: unknown };
  if (typeof description === 'string') return description;
  return status === 404 ? `${base} offers no tool reviews (not a 1MCP agent, or an older one)` : `The agent at ${base} answered HTTP ${status}`;
}

/** The reviews as a person reads them: each tool's definition, the pinned and offered lines marked. */
export function reviewText(base: string, reviews: readonly ToolReview[]): string {
  if (reviews.length === 0) return `No tool is held back by the agent at ${base}.\n`;
  const parts = reviews.map((review) => {
    const why = review.change === 'changed' ? 'changed since it was accepted' : 'new on a server whose tools were accepted';
    const head = `${review.server} › ${review.tool}: ${why} (held back since ${new Date(review.since).toISOString()})`;
    const before = review.pinned ? definitionText(review.pinned).trimEnd().split('\n') : [];
    const after = definitionText(review.offered).trimEnd().split('\n');
    const legend = review.pinned ? '  --- accepted\n  +++ offered now\n' : '  +++ offered now\n';
    return `${head}\n${legend}${lineDiff(before, after).map(([mark, line]) => `  ${mark} ${line}`).join('\n')}\n`;
  });
  return `${parts.join('\n')}\n${reviews.length} tool${reviews.length === 1 ? ' is' : 's are'} held back from every client. Accept with: onemcp tools accept <server> [<tool>...]\n`;
}

/** The lines of `before` and `after` in order, each marked kept (' '), removed ('-') or added ('+'): a longest common subsequence. */
function lineDiff(before: readonly string[], after: readonly string[]): [' ' | '-' | '+', string][] {
  const rows = before.length + 1;
  const cols = after.length + 1;
  const common = new Uint32Array(rows * cols);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i * cols + j] = before[i] === after[j] ? (common[(i + 1) * cols + j + 1] ?? 0) + 1 : Math.max(common[(i + 1) * cols + j] ?? 0, common[i * cols + j + 1] ?? 0);
    }
  }
  const out: [' ' | '-' | '+', string][] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      out.push([' ', before[i++] ?? '']);
      j++;
    } else if (i < before.length && (j === after.length || (common[(i + 1) * cols + j] ?? 0) >= (common[i * cols + j + 1] ?? 0))) {
      out.push(['-', before[i++] ?? '']);
    } else {
      out.push(['+', after[j++] ?? '']);
    }
  }
  return out;
}
