import express, { Router, type RequestHandler, type Response } from 'express';
import type { ActivityReader } from '../../activity/activityRing';
import type { Disposable, Event } from '../../event';
import { HttpError } from '../../httpError';
import { localProgramsOnly } from '../peer';
import type { Logger } from '../../logger';
import type { SecretChange } from '../../secrets/replicatedSecretStore';
import type { AgentActions } from '../../state/agentActions';
import type { AgentEvents } from '../../state/agentEvents';
import type { AgentState } from '../../state/agentState';
import { ControlChallenges } from './controlChallenges';
import { NONCE, controlProof, newControlSecret, verifyControlProof } from './controlProof';
import { CONTROL_PATHS, WINDOW_PROOF_HEADER, WINDOW_SESSION_HEADER, controlActionSchema, type CloseReason, type ControlEvent, type ControlHost } from './controlProtocol';

/** The serving agent as the control channel sees it. */
export interface ControlTarget {
  readonly state: AgentState;
  readonly events: AgentEvents;
  /** The calls recorded in memory, sent whole to a window as it joins. */
  readonly activity: ActivityReader;
  /** Runs `listener` before the agent stops listening, with why; the agent waits for it a moment. */
  onWillClose(listener: (reason: CloseReason) => Promise<void>): Disposable;
  readonly actions: AgentActions;
}

/** What the agent's host supplies to open the control channel; without it there is no control route. */
export interface ControlOptions {
  /** The window key; `fresh` reads it again from the store (another window may just have replaced it). */
  readonly key: (fresh: boolean) => Promise<string>;
  readonly host: ControlHost;
  /** The secrets the agent uses, sent to following windows so that one of them can take over. */
  readonly secrets: { snapshot(): SecretChange[]; readonly onDidChange: Event<SecretChange> };
}

const HEARTBEAT_MS = 15_000;

/**
 * `/control/*`: the channel between the serving agent and the VS Code windows that follow it (see
 * controlProtocol.ts). Only for a peer on this machine's loopback, with no browser `Origin` and no proxy
 * in between, that proves the window key; MCP tokens mean nothing here, and nothing here is MCP.
 */
export function controlRoute(target: ControlTarget, options: ControlOptions, logger: Logger): Router {
  const challenges = new ControlChallenges();
  const sessions = new Map<string, Response>();
  const router = Router();
  router.use('/control', localWindowsOnly());

  router.get(CONTROL_PATHS.challenge, async (req, res) => {
    const nonce = typeof req.query.nonce === 'string' ? req.query.nonce : '';
    if (!NONCE.test(nonce)) throw new HttpError(400, 'invalid_request', 'nonce must be 16 to 128 base64url characters');
    const challenge = challenges.issue();
    res.setHeader('Cache-Control', 'no-store');
    res.json({ challenge, proof: controlProof(await options.key(false), 'agent', nonce) });
  });

  router.get(CONTROL_PATHS.events, async (req, res) => {
    const [challenge = '', proof = ''] = (req.header(WINDOW_PROOF_HEADER) ?? '').split('.');
    if (!challenges.isLive(challenge)) throw new HttpError(401, 'invalid_challenge', 'Ask for a new challenge');
    const valid = verifyControlProof(await options.key(false), 'window', challenge, proof) || verifyControlProof(await options.key(true), 'window', challenge, proof);
    if (!valid) throw new HttpError(401, 'invalid_proof', 'This window does not hold the key of the VS Code windows that serve this agent');
    // Checked again: the key was read meanwhile, and another request may have used it.
    if (!challenges.isLive(challenge)) throw new HttpError(401, 'invalid_challenge', 'Ask for a new challenge');
    challenges.spend(challenge);
    const session = newControlSecret();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    const send = (event: ControlEvent): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\n`);
    };
    send({ type: 'session', session });
    send({ type: 'state', state: target.state });
    send({ type: 'activitySnapshot', snapshot: target.activity.snapshot() });
    for (const change of options.secrets.snapshot()) send({ type: 'secret', ...change });
    sessions.set(session, res);
    const subscriptions: Disposable[] = [
      target.events.onDidChangeState((state) => send({ type: 'state', state })),
      target.events.onDidRequestApproval((approval) => send({ type: 'approvalRequested', approval })),
      target.events.onDidSettleApproval(({ id, outcome }) => send({ type: 'approvalSettled', id, outcome })),
      target.events.onDidChangeActivity((change) => send(change.kind === 'recorded' ? { type: 'activity', record: change.record } : { type: 'activitySnapshot', snapshot: target.activity.snapshot() })),
      options.secrets.onDidChange((change) => send({ type: 'secret', ...change })),
      // Said and flushed before the listener goes: the socket is destroyed right after.
      target.onWillClose(async (reason) => {
        send({ type: 'closing', reason });
        if (res.writableEnded) return;
        await new Promise<void>((resolve) => {
          res.once('close', resolve);
          res.end(resolve);
        });
      }),
    ];
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      sessions.delete(session);
      for (const subscription of subscriptions) subscription.dispose();
    });
    logger.debug('A VS Code window follows this agent');
  });

  router.post(CONTROL_PATHS.actions, express.json({ limit: '16kb' }), async (req, res) => {
    const session = req.header(WINDOW_SESSION_HEADER);
    if (!session || !sessions.has(session)) throw new HttpError(401, 'invalid_session', 'Open the event stream first');
    const parsed = controlActionSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, 'invalid_request', `Invalid action: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const { actions } = target;
    const action = parsed.data;
    res.setHeader('Cache-Control', 'no-store');
    switch (action.action) {
      case 'restartBackend':
        await actions.restartBackend(action.name);
        break;
      case 'decideApproval':
        await actions.decideApproval(action.id, action.approve ? { approve: true, tags: action.tags } : { approve: false });
        break;
      case 'revokeClient':
        res.json({ result: await actions.revokeClient(action.clientId) });
        return;
      case 'authorizeBackend':
        res.json({ result: await actions.authorizeBackend(action.name) });
        return;
      case 'signOutBackend':
        await actions.signOutBackend(action.name);
        break;
      case 'decideConnection':
        await actions.decideConnection(action.backend, action.approve);
        break;
      case 'acceptTools':
        res.json({ result: await actions.acceptTools(action.server, action.tools, action.seen) });
        return;
      case 'answerConfirmation':
        await actions.answerConfirmation(action.id, action.answer);
        break;
      case 'editorToken':
        res.json({ result: await options.host.editorToken() });
        return;
      case 'restartAgent':
      case 'stopAgent':
        // Answered first: the work closes this very connection.
        res.status(202).json({});
        setImmediate(() => void (action.action === 'restartAgent' ? options.host.restartAgent() : options.host.stopAgent()));
        return;
    }
    res.json({});
  });

  return router;
}

/** Loopback peers with no browser and no proxy in between: this user's windows (or at least this machine's). */
function localWindowsOnly(): RequestHandler {
  return localProgramsOnly('The control channel answers only VS Code windows on this machine');
}
