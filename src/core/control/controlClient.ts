import * as http from 'node:http';
import type { Disposable } from '../event';
import { isOversized } from '../backends/messageLimit';
import { readText } from '../backends/backendHttp';
import { SseParser } from '../backends/sseParser';
import { HttpError } from '../httpError';
import { controlProof, newControlSecret, verifyControlProof } from '../http/control/controlProof';
import { CONTROL_PATHS, WINDOW_PROOF_HEADER, WINDOW_SESSION_HEADER, type CloseReason, type ControlAction, type ControlEvent } from '../http/control/controlProtocol';

/** Why the agent on the port will not be followed with this key. */
export type RefusalReason = 'no-control' | 'key' | 'forbidden';

/** The agent there cannot be controlled from here: the CLI (no control channel), or another key. */
export class ControlRefusedError extends Error {
  constructor(readonly reason: RefusalReason, message: string) {
    super(message);
    this.name = 'ControlRefusedError';
  }
}

/** An open control channel to the serving agent. */
export interface ControlConnection extends Disposable {
  /** Sends an action; its result, or an HttpError with the agent's status and message. */
  action(action: ControlAction): Promise<unknown>;
  /** Settles when the event stream ends, with the reason the agent announced (none: it vanished). */
  readonly ended: Promise<CloseReason | undefined>;
}

const REQUEST_MS = 2_000;
/** The agent sends a comment every 15 s; silence this long means it hangs. */
const SILENCE_MS = 45_000;

/**
 * Opens the control channel of the agent at `baseUrl` (http://host:port) with the window key: checks
 * the agent's proof of the key before it proves its own (see controlProtocol.ts), then streams events to
 * `onEvent`. Resolves once the first state has arrived. The challenge is asked while the key is still
 * being read (from SecretStorage, which may take a while).
 */
export async function openControl(baseUrl: string, windowKey: Promise<string>, onEvent: (event: ControlEvent) => void): Promise<ControlConnection> {
  const nonce = newControlSecret();
  const [key, { status, body }] = await Promise.all([windowKey, requestJson('GET', `${baseUrl}${CONTROL_PATHS.challenge}?nonce=${nonce}`)]);
  if (status === 404) throw new ControlRefusedError('no-control', 'The agent on this port offers no control channel (the 1MCP CLI serves it)');
  if (status === 403) throw new ControlRefusedError('forbidden', 'The agent refused this window’s control request');
  const { challenge, proof } = (body ?? {}) as { challenge?: unknown; proof?: unknown };
  if (status !== 200 || typeof challenge !== 'string' || typeof proof !== 'string') throw new Error(`The agent answered the control challenge with HTTP ${status}`);
  if (!verifyControlProof(key, 'agent', nonce, proof)) throw new ControlRefusedError('key', 'The agent on this port does not hold this window’s key');

  const abort = new AbortController();
  const res = await openStream(`${baseUrl}${CONTROL_PATHS.events}`, { [WINDOW_PROOF_HEADER]: `${challenge}.${controlProof(key, 'window', challenge)}` }, abort.signal);
  if (res.statusCode === 401) {
    res.resume();
    throw new ControlRefusedError('key', 'The agent on this port does not accept this window’s key');
  }
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`The agent answered the control stream with HTTP ${res.statusCode ?? 0}`);
  }

  let session = '';
  let reason: CloseReason | undefined;
  let firstState: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstState = resolve));
  const parser = new SseParser();
  let silence = setTimeout(() => abort.abort(), SILENCE_MS);
  res.on('data', (chunk: Buffer) => {
    clearTimeout(silence);
    silence = setTimeout(() => abort.abort(), SILENCE_MS);
    for (const { data } of parser.push(chunk)) {
      // An event over the parser's limit is no event this channel sends.
      if (isOversized(data)) continue;
      const event = JSON.parse(data.toString('utf8')) as ControlEvent;
      if (event.type === 'session') session = event.session;
      else if (event.type === 'closing') reason = event.reason;
      onEvent(event);
      if (event.type === 'state') firstState();
    }
  });
  const ended = new Promise<CloseReason | undefined>((resolve) => {
    const end = (): void => {
      clearTimeout(silence);
      firstState();
      resolve(reason);
    };
    res.once('end', end);
    res.once('close', end);
    res.once('error', end);
  });
  await started;
  if (!session) throw new Error('The agent closed the control stream at once');

  return {
    ended,
    action: async (action) => {
      const answer = await requestJson('POST', `${baseUrl}${CONTROL_PATHS.actions}`, action, { [WINDOW_SESSION_HEADER]: session }, 0);
      if (answer.status >= 400) {
        const error = (answer.body ?? {}) as { error?: string; error_description?: string };
        throw new HttpError(answer.status, error.error ?? 'server_error', error.error_description ?? `HTTP ${answer.status}`);
      }
      return (answer.body as { result?: unknown } | undefined)?.result;
    },
    dispose: () => abort.abort(),
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function openStream(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, signal }, resolve);
    req.once('error', reject);
    req.setTimeout(REQUEST_MS, () => req.destroy(new Error('The agent did not answer the control request')));
    req.once('response', () => req.setTimeout(0));
  });
}

/** A JSON request to the agent; `timeoutMs` 0 waits as long as the action takes (an approval can take minutes). */
export function requestJson(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = REQUEST_MS): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, { method, headers: { accept: 'application/json', ...(payload !== undefined && { 'content-type': 'application/json' }), ...headers } }, (res) => {
      readText(res).then((text) => resolve({ status: res.statusCode ?? 0, body: parseJson(text) }), reject);
    });
    req.once('error', reject);
    if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error('The agent did not answer in time')));
    req.end(payload);
  });
}
