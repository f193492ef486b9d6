import { isIP } from 'node:net';

/** Bits of an IPv4 address that name its network: a /24 is one site's LAN, or one small provider block. */
export const IPV4_PREFIX_BITS = 24;
/** Bits of an IPv6 address that name its network: a /56 is what a provider gives one customer (RFC 6177). */
export const IPV6_PREFIX_BITS = 56;

/**
 * The network an address belongs to, as one requester for limits and quotas: `192.0.2.0/24` for IPv4
 * (an IPv4-mapped IPv6 address counts as IPv4), `2001:db8:0:100::/56` for IPv6. Anything that is not an
 * IP address is returned as it is, so it still counts as one requester of its own.
 */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 4) return `${ip.split('.').slice(0, 3).join('.')}.0/${IPV4_PREFIX_BITS}`;
  if (family !== 6) return address;
  const groups = ipv6Groups(ip);
  // 56 bits: three whole groups and the high byte of the fourth.
  const kept = [...groups.slice(0, 3), (groups[3] ?? 0) & 0xff00].map((g) => g.toString(16));
  return `${kept.join(':')}::/${IPV6_PREFIX_BITS}`;
}

/** The eight 16-bit groups of an IPv6 address (already checked by `isIP`), `::` and a trailing IPv4 part expanded. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.replace(/%.*$/, '').split('::');
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
