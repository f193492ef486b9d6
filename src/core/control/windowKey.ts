import type { SecretStore } from '../secrets/secretStore';
import { newControlSecret } from '../http/control/controlProof';

/** SecretStore key of the key shared by one user's VS Code windows. */
const WINDOW_KEY = 'windowKey';

/**
 * The key that lets this user's VS Code windows control each other's agent: 256 random bits in
 * SecretStorage, which every window of a profile shares (never in settings, never sent anywhere: the
 * control channel only exchanges proofs of it). Created by the first window that needs it. If two
 * windows create one at once, the store keeps the last; the other finds it when a proof fails and it
 * reads the key again (`fresh`).
 */
export class WindowKey {
  /** The key, or its reading under way (callers share one read); forgotten if the read fails. */
  private value?: Promise<string>;

  constructor(private readonly store: SecretStore) {}

  get(fresh = false): Promise<string> {
    if (this.value === undefined || fresh) {
      const reading = this.read();
      this.value = reading;
      reading.catch(() => {
        if (this.value === reading) this.value = undefined;
      });
    }
    return this.value;
  }

  private async read(): Promise<string> {
    let value = await this.store.get(WINDOW_KEY);
    if (!value) {
      value = newControlSecret();
      await this.store.set(WINDOW_KEY, value);
    }
    return value;
  }
}
