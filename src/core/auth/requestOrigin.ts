import { networkOf } from '../networkPrefix';

/**
 * Where an authorization request came from, as the agent's own socket saw it: never what the client
 * says of itself. Every approval shows it, so a request from another machine cannot pass for a local one.
 */
export type RequestOrigin =
  /** The editor's own MCP client, in the host process. */
  | { readonly kind: 'in-process' }
  /** A loopback address, directly: a process on this machine. */
  | { readonly kind: 'loopback' }
  /** Another machine, at this address. */
  | { readonly kind: 'network'; readonly address: string }
  /** Relayed by a proxy on this machine; `for` is the address the proxy says it relayed, when it says one. */
  | { readonly kind: 'relayed'; readonly for?: string };

/** "this machine", "the network (192.0.2.7)": how every approval says where a request came from. */
export function describeRequestOrigin(origin: RequestOrigin): string {
  switch (origin.kind) {
    case 'in-process':
      return 'this editor (its own MCP client)';
    case 'loopback':
      return 'this machine';
    case 'network':
      return `the network (${origin.address})`;
    case 'relayed':
      return origin.for ? `the network (${origin.for}, relayed by a proxy on this machine)` : 'the network (relayed by a proxy on this machine, which did not say from where)';
  }
}

/** Whether a request came from another machine (directly or through a proxy). */
export function isFromNetwork(origin: RequestOrigin): boolean {
  return origin.kind === 'network' || origin.kind === 'relayed';
}

/** What approving a request from another machine means, said wherever it is shown; undefined for this machine. */
export function originWarning(origin: RequestOrigin): string | undefined {
  return isFromNetwork(origin) ? 'It came from another machine: approve only if you started it there.' : undefined;
}

/**
 * Who counts as one requester for quotas: this machine, the editor, or a network (/24 for IPv4, /56 for
 * IPv6, {@link networkOf}), so that one host cannot pass for many by taking more addresses of its own.
 */
export function requesterOf(origin: RequestOrigin): string {
  switch (origin.kind) {
    case 'in-process':
    case 'loopback':
      return origin.kind;
    case 'network':
      return networkOf(origin.address);
    case 'relayed':
      return origin.for ? `relayed ${networkOf(origin.for)}` : 'relayed';
  }
}

/** Whether two requests came from the same peer: the same address, or both from this machine. */
export function samePeer(a: RequestOrigin, b: RequestOrigin): boolean {
  if (a.kind === 'network' && b.kind === 'network') return a.address === b.address;
  if (a.kind === 'relayed' && b.kind === 'relayed') return a.for === b.for;
  return a.kind === b.kind;
}
