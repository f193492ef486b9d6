import { createHmac } from 'node:crypto';
import { newSecret, safeEqual } from '../../auth/tokenCrypto';

/**
 * Who proves knowledge of the window key: the serving agent (to a window about to follow it) or a
 * window (to the agent). The prefixes keep one side's proofs from being replayed as the other's.
 */
export type ProofRole = 'agent' | 'window';

/** HMAC-SHA256 of `role:challenge` under the window key, base64url: proves the key without sending it. */
export function controlProof(key: string, role: ProofRole, challenge: string): string {
  return createHmac('sha256', key).update(`${role}:${challenge}`, 'utf8').digest('base64url');
}

/** Whether `proof` is `role`'s proof for `challenge`, compared in constant time. */
export function verifyControlProof(key: string, role: ProofRole, challenge: string, proof: string): boolean {
  return safeEqual(controlProof(key, role, challenge), proof);
}

/** A new window key or challenge: 256 random bits. */
export const newControlSecret = newSecret;
