import { randomUUID } from 'node:crypto';
import { ElicitResultSchema, type CallToolResult, type ElicitRequest, type Result } from '@modelcontextprotocol/sdk/types.js';
import { systemClock, type Clock } from '../clock';
import { Emitter } from '../event';
import { HttpError } from '../httpError';
import { errorMessage, type Logger } from '../logger';
import { refusalResult, type ToolRefusal } from './refusal';

/** The user's answers to "allow this call?": once, for the rest of the calling session, or no. */
export const CONFIRM_ANSWERS = ['allow', 'allowSession', 'deny'] as const;
export type ConfirmAnswer = (typeof CONFIRM_ANSWERS)[number];

/** A call waiting for the user's yes, as the editor shows it. */
export interface PendingConfirmation {
  readonly id: string;
  readonly server: string;
  /** The tool's own name. */
  readonly tool: string;
  /** The calling client as it names itself (`clientInfo.name`). */
  readonly client: string;
  /** The call's arguments as JSON, cut to what a notification can show. */
  readonly arguments: string;
  /** Whether "Allow for this session" applies: the client has a session (a stateless client has none). */
  readonly remembers: boolean;
  readonly since: number;
}

/** One call of a tool that needs the user's yes. */
export interface ConfirmationCall {
  readonly server: string;
  readonly tool: string;
  readonly clientName?: string;
  readonly arguments: unknown;
  /** The calling session, where "Allow for this session" is remembered; absent for a stateless client. */
  readonly session?: object;
  /** Puts the question to the calling client (elicitation); absent when it cannot be asked. */
  readonly ask?: (request: ElicitRequest, options: { readonly signal: AbortSignal; readonly timeout: number }) => Promise<Result>;
  /** The client gave up on the call. */
  readonly signal?: AbortSignal;
}

export interface CallConfirmationsOptions {
  readonly logger: Logger;
  /** Whether a person at the agent's editor can answer too (VS Code serves it): a notification, the first answer wins. */
  readonly editor: boolean;
  /** How long a question waits for an answer. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

type Outcome = { readonly allow: true; readonly remember: boolean; readonly by: string } | { readonly allow: false; readonly reason: ToolRefusal; readonly why: string };

/** How long the user has to answer: time to read the arguments. */
const CONFIRM_TIMEOUT_MS = 120_000;
/** How much of the arguments a question shows. */
const MAX_ARGUMENTS_SHOWN = 2_000;

/**
 * Asks the user before a tool that `confirm` names runs: the calling client is asked through elicitation
 * (when it declared it), and where the agent runs in VS Code a notification asks too; the first answer
 * wins. A decline, no answer in time, or nobody to ask: the tool does not run, and the client gets an
 * error result saying why. "Allow for this session" is remembered for the calling session only.
 */
export class CallConfirmations {
  private readonly waiting = new Map<string, { readonly pending: PendingConfirmation; settle(outcome: Outcome): void }>();
  private readonly remembered = new WeakMap<object, Set<string>>();
  private readonly changed = new Emitter<void>();
  /** A call started or stopped waiting for an answer. */
  readonly onDidChange = this.changed.event;
  private readonly clock: Clock;

  constructor(private readonly options: CallConfirmationsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The calls waiting for an answer. */
  pending(): PendingConfirmation[] {
    return [...this.waiting.values()].map((w) => w.pending);
  }

  /** The editor's answer; HttpError 404 when the call is no longer waiting (answered elsewhere, or over). */
  answer(id: string, answer: ConfirmAnswer): void {
    const waiting = this.waiting.get(id);
    if (!waiting) throw new HttpError(404, 'not_found', 'That call is no longer waiting for an answer');
    waiting.settle(answer === 'deny' ? { allow: false, reason: 'declined', why: 'the user declined it in VS Code' } : { allow: true, remember: answer === 'allowSession', by: 'in VS Code' });
  }

  /** Undefined when the call may run; otherwise the error result its client gets. */
  async confirm(call: ConfirmationCall): Promise<CallToolResult | undefined> {
    const key = `${call.server}\0${call.tool}`;
    const client = call.clientName ?? 'an unnamed client';
    const what = `[${call.server}] "${call.tool}" for client "${client}"`;
    if (call.session && this.remembered.get(call.session)?.has(key)) {
      this.options.logger.info(`${what}: allowed (for this session, as answered before)`);
      return undefined;
    }
    const outcome = call.ask || this.options.editor ? await this.askUser(call, client) : { allow: false as const, reason: 'unanswerable' as const, why: `${client} cannot be asked (it did not declare elicitation)` };
    if (outcome.allow) {
      if (outcome.remember && call.session) this.rememberFor(call.session).add(key);
      this.options.logger.info(`${what}: allowed ${outcome.by}${outcome.remember && call.session ? ' for this session' : ''}`);
      return undefined;
    }
    this.options.logger.info(`${what}: not run, ${outcome.why}`);
    const hint = outcome.reason === 'unanswerable' ? ` Run it from a client that supports elicitation${this.options.editor ? '' : ' (or from VS Code)'}, or change "confirm" in mcp.json.` : '';
    return refusalResult(outcome.reason, `1MCP did not run ${call.server} › ${call.tool}: its configuration asks for the user's confirmation first ("confirm"), and ${outcome.why}.${hint}`);
  }

  private askUser(call: ConfirmationCall, client: string): Promise<Outcome> {
    const timeout = this.options.timeoutMs ?? CONFIRM_TIMEOUT_MS;
    const id = randomUUID();
    const abort = new AbortController();
    const pending: PendingConfirmation = { id, server: call.server, tool: call.tool, client, arguments: argumentsText(call.arguments), remembers: call.session !== undefined, since: this.clock.now() };
    return new Promise<Outcome>((resolve) => {
      const settle = (outcome: Outcome): void => {
        if (!this.waiting.delete(id)) return;
        clearTimeout(timer);
        abort.abort();
        this.changed.fire();
        resolve(outcome);
      };
      const timer = setTimeout(() => settle({ allow: false, reason: 'unanswered', why: `nobody answered within ${Math.round(timeout / 1000)} s` }), timeout);
      timer.unref();
      call.signal?.addEventListener('abort', () => settle({ allow: false, reason: 'unanswered', why: 'the client stopped waiting' }), { once: true });
      this.waiting.set(id, { pending, settle });
      this.changed.fire();
      call.ask?.(question(pending), { signal: abort.signal, timeout }).then(
        (result) => settle(clientAnswer(result, client)),
        (error: unknown) => {
          // The editor may still answer; without one, nobody can.
          if (!this.options.editor) settle({ allow: false, reason: 'unanswerable', why: `${client} could not be asked: ${errorMessage(error)}` });
        },
      );
    });
  }

  private rememberFor(session: object): Set<string> {
    let keys = this.remembered.get(session);
    if (!keys) {
      keys = new Set();
      this.remembered.set(session, keys);
    }
    return keys;
  }
}

/** The elicitation put to the client (MCP 2025-11-25 Elicitation, form mode): accept or decline, and "for this session". */
function question(pending: PendingConfirmation): ElicitRequest {
  const remember = { allowForSession: { type: 'boolean' as const, title: 'Allow for this session', description: `Do not ask again for ${pending.server} › ${pending.tool} in this session`, default: false } };
  return {
    method: 'elicitation/create',
    params: {
      message: `Allow ${pending.client} to run ${pending.server} › ${pending.tool}?\n\nArguments:\n${pending.arguments}`,
      requestedSchema: { type: 'object', properties: pending.remembers ? remember : {} },
    },
  };
}

function clientAnswer(result: Result, client: string): Outcome {
  const parsed = ElicitResultSchema.safeParse(result);
  if (!parsed.success) return { allow: false, reason: 'declined', why: `${client} gave no valid answer` };
  const { action, content } = parsed.data;
  if (action === 'accept') return { allow: true, remember: content?.allowForSession === true, by: `by the user of ${client}` };
  return { allow: false, reason: 'declined', why: `the user ${action === 'cancel' ? 'dismissed the question' : 'declined it'} in ${client}` };
}

function argumentsText(args: unknown): string {
  const text = JSON.stringify(args ?? {}, null, 2) ?? '{}';
  return text.length > MAX_ARGUMENTS_SHOWN ? `${text.slice(0, MAX_ARGUMENTS_SHOWN)}\n… (${text.length - MAX_ARGUMENTS_SHOWN} more characters)` : text;
}

/**
 * Whether a client takes form questions for its user: it declared elicitation with `form`, or with
 * neither mode (an empty object means form; MCP 2025-11-25 Elicitation, "Capabilities").
 */
export function elicitsForms(capabilities: { readonly elicitation?: object } | undefined): boolean {
  const elicitation = capabilities?.elicitation as { form?: unknown; url?: unknown } | undefined;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}
