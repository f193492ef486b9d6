import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a window has to answer a challenge. */
const CHALLENGE_MS = 30_000;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;

/**
 * The challenges of the control channel (controlProtocol.ts, step 2), kept by nobody: each carries its
 * expiry and a MAC under a key of this route, so that however many a local process asks for, they take
 * no room and push no window's challenge out (a bounded table shared by every peer did). A challenge
 * used with a valid proof is remembered until it expires, so it opens one stream only; only a holder of
 * the window key adds to that.
 */
export class ControlChallenges {
  private readonly key = randomBytes(32);
  /** Challenges used with a valid proof, and when they expire. */
  private readonly spent = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new challenge, good for {@link CHALLENGE_MS}: base64url, without the `.` the proof header splits on. */
  issue(): string {
    const body = Buffer.alloc(8 + RANDOM_BYTES);
    body.writeDoubleBE(this.now() + CHALLENGE_MS, 0);
    randomBytes(RANDOM_BYTES).copy(body, 8);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** Whether `challenge` was issued here, has not expired and was not spent. */
  isLive(challenge: string): boolean {
    const bytes = Buffer.from(challenge, 'base64url');
    // Only the form issue() writes: another spelling of the same bytes would be a second use.
    if (bytes.length !== 8 + RANDOM_BYTES + MAC_BYTES || bytes.toString('base64url') !== challenge) return false;
    const body = bytes.subarray(0, 8 + RANDOM_BYTES);
    if (!timingSafeEqual(bytes.subarray(body.length), this.mac(body))) return false;
    return body.readDoubleBE(0) > this.now() && !this.spent.has(challenge);
  }

  /** Marks a live challenge used (its proof was valid): it opens nothing again. */
  spend(challenge: string): void {
    const now = this.now();
    for (const [old, expiresAt] of this.spent) if (expiresAt <= now) this.spent.delete(old);
    this.spent.set(challenge, Buffer.from(challenge, 'base64url').readDoubleBE(0));
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
