import { createHmac } from 'node:crypto';
import { newSecret, safeEqual } from '../../auth/tokenCrypto';

/**
 * Who proves knowledge of a key: the serving agent (to a window about to follow it, or to a terminal),
 * a window (to the agent, with the window key) or a terminal (to the agent, with the terminal key). The
 * prefixes keep one side's proofs from being replayed as the other's.
 */
export type ProofRole = 'agent' | 'window' | 'terminal';

/** HMAC-SHA256 of `role:challenge` under the window key, base64url: proves the key without sending it. */
export function controlProof(key: string, role: ProofRole, challenge: string): string {
  return createHmac('sha256', key).update(`${role}:${challenge}`, 'utf8').digest('base64url');
}

/** Whether `proof` is `role`'s proof for `challenge`, compared in constant time. */
export function verifyControlProof(key: string, role: ProofRole, challenge: string, proof: string): boolean {
  return safeEqual(controlProof(key, role, challenge), proof);
}

/** What a peer's nonce may be: 16 to 128 base64url characters. */
export const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

/** A new window key or challenge: 256 random bits. */
export const newControlSecret = newSecret;
