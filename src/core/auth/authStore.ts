import * as z from 'zod';
import { CoalescedWrite } from '../coalescedWrite';
import { Emitter } from '../event';
import type { SecretStore } from '../secrets/secretStore';
import type { RegisteredClient } from './clientRegistration';

/** A registered client as stored, with when it last used a token. */
export interface StoredClient extends RegisteredClient {
  /** Registered by the host in process (the editor's own MCP client), not through `/register`. */
  readonly inProcess?: boolean;
  lastUsedAt?: number;
}

/** An authorization code, kept by hash until it expires so a second use is recognised (RFC 6749 §4.1.2). */
export interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Whether the authorization request named the redirect URI; then the token request must repeat it. */
  readonly redirectUriSent: boolean;
  readonly challenge: string;
  readonly resource: string;
  readonly tags: readonly string[];
  readonly expiresAt: number;
  used: boolean;
  /** The grant the code was exchanged for, revoked if the code is presented again. */
  grantId?: string;
}

/** One approval's tokens: a refresh token family (rotated on each use) and its access tokens. */
export interface GrantRecord {
  readonly id: string;
  readonly clientId: string;
  readonly tags: readonly string[];
  /** The RFC 8707 resource (our `/mcp` URL) every token of the grant is bound to. */
  readonly resource: string;
  readonly createdAt: number;
  /** When the refresh token last rotated (or the grant began). */
  lastUsedAt: number;
  refreshHash: string;
  refreshExpiresAt: number;
  /** Hashes of rotated-out refresh tokens: presenting one revokes the family. */
  usedRefreshHashes: string[];
}

export interface AccessTokenRecord {
  readonly grantId: string;
  /** May be fewer than the grant's tags when a refresh asked for a narrower scope. */
  readonly tags: readonly string[];
  readonly expiresAt: number;
}

const millis = z.number().int().nonnegative();
const strings = z.array(z.string());
const documentSchema = z.object({
  version: z.literal(1),
  clients: z.array(z.object({
    clientId: z.string(), clientName: z.string().optional(), clientUri: z.string().optional(), redirectUris: strings,
    grantTypes: strings, applicationType: z.enum(['native', 'web']), scope: z.string().optional(), softwareId: z.string().optional(),
    softwareVersion: z.string().optional(), registeredAt: millis, inProcess: z.boolean().optional(), lastUsedAt: millis.optional(),
  })),
  codes: z.array(z.tuple([z.string(), z.object({
    clientId: z.string(), redirectUri: z.string(), redirectUriSent: z.boolean(), challenge: z.string(), resource: z.string(),
    tags: strings, expiresAt: millis, used: z.boolean(), grantId: z.string().optional(),
  })])),
  grants: z.array(z.object({
    id: z.string(), clientId: z.string(), tags: strings, resource: z.string(), createdAt: millis, lastUsedAt: millis,
    refreshHash: z.string(), refreshExpiresAt: millis, usedRefreshHashes: strings,
  })),
  accessTokens: z.array(z.tuple([z.string(), z.object({ grantId: z.string(), tags: strings, expiresAt: millis })])),
});

/**
 * Clients that never obtained a grant (registered, then never approved): at most `max` are kept, the
 * oldest forgotten first, and each for `lifetimeMs` after it registered; one whose request waits for
 * the user is kept until the request ends. An hour outlasts any approval (ten minutes by default).
 */
export const UNGRANTED_CLIENTS = { max: 100, lifetimeMs: 60 * 60 * 1000 } as const;

/**
 * Everything the authorization server remembers, in memory, persisted as one JSON document through the
 * SecretStore so grants survive a restart. Codes and tokens appear only as SHA-256 hashes. Writes go
 * behind the changes, coalesced ({@link CoalescedWrite}): the document is serialized once per write,
 * however many changes it carries.
 */
export class AuthStore {
  readonly clients = new Map<string, StoredClient>();
  /** Code hash -> code. */
  readonly codes = new Map<string, CodeRecord>();
  readonly grants = new Map<string, GrantRecord>();
  /** Access token hash -> token. */
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  /** Refresh token hash (current or rotated out) -> grant id. */
  readonly refreshIndex = new Map<string, string>();
  private readonly writer = new CoalescedWrite(() => this.secrets.set(this.key, this.serialize()));
  private readonly grantDeleted = new Emitter<GrantRecord>();
  /** A grant ended (revoked, reused, expired, or its client removed). */
  readonly onDidDeleteGrant = this.grantDeleted.event;

  constructor(private readonly secrets: SecretStore, private readonly key = 'onemcp.auth.v1') {}

  async load(): Promise<void> {
    const text = await this.secrets.get(this.key);
    if (text === undefined) return;
    let doc: z.infer<typeof documentSchema>;
    try {
      doc = documentSchema.parse(JSON.parse(text));
    } catch (error) {
      // Refuse to start rather than silently forget every client the user approved.
      throw new Error(`The stored authorization data (${this.key}) is not readable; remove it to start over`, { cause: error });
    }
    for (const client of doc.clients) this.clients.set(client.clientId, client);
    for (const [hash, code] of doc.codes) this.codes.set(hash, code);
    for (const grant of doc.grants) this.addGrant(grant);
    for (const [hash, token] of doc.accessTokens) this.accessTokens.set(hash, token);
  }

  /**
   * Adds a client, then forgets the oldest clients that never got a grant beyond
   * {@link UNGRANTED_CLIENTS}`.max`, except those in `busy` (they have a request in progress). Returns how many it forgot.
   */
  addClient(client: StoredClient, busy: ReadonlySet<string>): number {
    this.clients.set(client.clientId, client);
    const ungranted = [...this.clients.values()].filter((c) => this.neverGranted(c));
    let forgotten = 0;
    for (const old of ungranted) {
      if (ungranted.length - forgotten <= UNGRANTED_CLIENTS.max) break;
      if (old.clientId === client.clientId || busy.has(old.clientId)) continue;
      this.deleteClient(old.clientId);
      forgotten += 1;
    }
    return forgotten;
  }

  addGrant(grant: GrantRecord): void {
    this.grants.set(grant.id, grant);
    this.refreshIndex.set(grant.refreshHash, grant.id);
    for (const hash of grant.usedRefreshHashes) this.refreshIndex.set(hash, grant.id);
  }

  /** Removes a grant with its refresh tokens and access tokens. */
  deleteGrant(id: string): void {
    const grant = this.grants.get(id);
    if (!grant) return;
    this.grants.delete(id);
    for (const hash of [grant.refreshHash, ...grant.usedRefreshHashes]) this.refreshIndex.delete(hash);
    for (const [hash, token] of this.accessTokens) if (token.grantId === id) this.accessTokens.delete(hash);
    this.grantDeleted.fire(grant);
  }

  /** Removes a client and everything issued to it. */
  deleteClient(clientId: string): void {
    this.clients.delete(clientId);
    for (const grant of this.grantsOf(clientId)) this.deleteGrant(grant.id);
    for (const [hash, code] of this.codes) if (code.clientId === clientId) this.codes.delete(hash);
  }

  grantsOf(clientId: string): GrantRecord[] {
    return [...this.grants.values()].filter((g) => g.clientId === clientId);
  }

  /**
   * Drops what has expired (clients in `busy` have a request in progress and stay), then schedules a
   * write of the whole document; settles once a write carrying this state is done.
   */
  save(now: number, busy: ReadonlySet<string> = new Set()): Promise<void> {
    this.prune(now, busy);
    return this.writer.request();
  }

  /** Settles once the last write has. */
  flushed(): Promise<void> {
    return this.writer.flushed();
  }

  private serialize(): string {
    const doc: z.infer<typeof documentSchema> = {
      version: 1,
      clients: [...this.clients.values()].map((c) => ({ ...c, redirectUris: [...c.redirectUris], grantTypes: [...c.grantTypes] })),
      codes: [...this.codes].map(([hash, c]) => [hash, { ...c, tags: [...c.tags] }]),
      grants: [...this.grants.values()].map((g) => ({ ...g, tags: [...g.tags] })),
      accessTokens: [...this.accessTokens].map(([hash, t]) => [hash, { ...t, tags: [...t.tags] }]),
    };
    return JSON.stringify(doc);
  }

  private neverGranted(client: StoredClient): boolean {
    return client.lastUsedAt === undefined && this.grantsOf(client.clientId).length === 0;
  }

  private prune(now: number, busy: ReadonlySet<string>): void {
    for (const [hash, code] of this.codes) if (code.expiresAt <= now) this.codes.delete(hash);
    for (const [hash, token] of this.accessTokens) if (token.expiresAt <= now) this.accessTokens.delete(hash);
    for (const grant of [...this.grants.values()]) if (grant.refreshExpiresAt <= now) this.deleteGrant(grant.id);
    for (const client of [...this.clients.values()]) {
      const expired = client.registeredAt + UNGRANTED_CLIENTS.lifetimeMs <= now;
      if (expired && this.neverGranted(client) && !busy.has(client.clientId)) this.clients.delete(client.clientId);
    }
  }
}
