import type { ResourceOwner } from './resourceNaming';

/** How many URIs one caller's memory holds; the least recently named go first. */
const URIS_PER_CALLER = 4096;
/** How many stateless principals have a memory at once; the oldest go first. */
const PRINCIPALS = 256;

/**
 * The resource URIs backends named to one caller in results (resource links, embedded resources, the
 * contents of a read) that no list or template accounts for, and who named each: a read of such a URI
 * goes back to the backend that named it. Bounded: the least recently named are forgotten first.
 */
export class NamedUris {
  private readonly owners = new Map<string, ResourceOwner>();

  constructor(private readonly limit = URIS_PER_CALLER) {}

  get(uri: string): ResourceOwner | undefined {
    return this.owners.get(uri);
  }

  set(uri: string, owner: ResourceOwner): void {
    this.owners.delete(uri);
    this.owners.set(uri, owner);
    if (this.owners.size > this.limit) this.owners.delete(this.owners.keys().next().value as string);
  }
}

/**
 * The memories of stateless (2026-07-28) callers, which have no session to keep one: one per principal
 * (the OAuth client and grant when authorization is on; one shared by every caller without it). Bounded
 * in principals as each memory is in URIs.
 */
export class NamedUrisByPrincipal {
  private readonly memories = new Map<string, NamedUris>();

  for(principal: string): NamedUris {
    let memory = this.memories.get(principal);
    if (!memory) {
      memory = new NamedUris();
      this.memories.set(principal, memory);
      if (this.memories.size > PRINCIPALS) this.memories.delete(this.memories.keys().next().value as string);
    }
    return memory;
  }
}
