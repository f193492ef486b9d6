import express, { Router } from 'express';
import type { HttpContext } from '../httpContext';
import { HttpError } from '../../httpError';
import { localProgramsOnly } from '../peer';
import { ControlChallenges } from './controlChallenges';
import { NONCE, controlProof, verifyControlProof } from './controlProof';
import { TERMINAL_PATHS, TERMINAL_PROOF_HEADER, acceptToolsSchema, terminalProofText } from './terminalProtocol';

/**
 * `/tool-reviews`: what a terminal on this machine reads of the tools held back and how it accepts them
 * (terminalProtocol.ts). Only for a direct loopback peer without a browser; accepting proves the terminal
 * key on top. MCP tokens mean nothing here.
 */
export function terminalRoute(context: HttpContext): Router {
  const challenges = new ControlChallenges();
  const router = Router();
  router.use(TERMINAL_PATHS.reviews, localProgramsOnly('Tool reviews answer only programs on this machine, directly'));

  const key = async (): Promise<string> => {
    const value = await context.terminalKey();
    if (value === undefined) throw new HttpError(403, 'no_terminal_key', 'This agent keeps no terminal key (it runs without a state folder): accept the tools where it runs');
    return value;
  };

  router.get(TERMINAL_PATHS.reviews, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ reviews: context.state().toolReviews });
  });

  router.get(TERMINAL_PATHS.challenge, async (req, res) => {
    const nonce = typeof req.query.nonce === 'string' ? req.query.nonce : '';
    if (!NONCE.test(nonce)) throw new HttpError(400, 'invalid_request', 'nonce must be 16 to 128 base64url characters');
    const proof = controlProof(await key(), 'agent', nonce);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ challenge: challenges.issue(), proof });
  });

  router.post(TERMINAL_PATHS.accept, express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = acceptToolsSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, 'invalid_request', `Invalid request: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const [challenge = '', proof = ''] = (req.header(TERMINAL_PROOF_HEADER) ?? '').split('.');
    if (!challenges.isLive(challenge)) throw new HttpError(401, 'invalid_challenge', 'Ask for a new challenge');
    if (!verifyControlProof(await key(), 'terminal', terminalProofText(challenge, parsed.data), proof)) {
      throw new HttpError(401, 'invalid_proof', 'This terminal does not hold the key of this agent’s state folder');
    }
    // Checked again: the key was read meanwhile, and another request may have used it.
    if (!challenges.isLive(challenge)) throw new HttpError(401, 'invalid_challenge', 'Ask for a new challenge');
    challenges.spend(challenge);
    const accepted = context.hub.pins.accept(parsed.data.server, 'the terminal (onemcp tools accept)', parsed.data.tools);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ accepted });
  });

  return router;
}
