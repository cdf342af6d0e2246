import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses the server may connect to when it fetches a Client ID Metadata Document
 * (draft-ietf-oauth-client-id-metadata-document §6, "Server-Side Request Forgery"). The `client_id`
 * names a host anybody chooses, so without these rules a client could make the server read its own
 * loopback services, the private network or the cloud metadata service (169.254.169.254) and learn
 * from the answer. Refused: every address that is not globally routable unicast —
 * - IPv4: 0/8, 10/8, 100.64/10 (carrier NAT), 127/8, 169.254/16 (link-local, cloud metadata),
 *   172.16/12, 192.0.0/24, 192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4
 *   (multicast), 240/4 and 255.255.255.255;
 * - IPv6: ::, ::1, fc00::/7 (unique local), fe80::/10 (link-local), fec0::/10, ff00::/8 (multicast),
 *   2001:db8::/32, 100::/64 (discard), and the forms that embed an IPv4 address — ::ffff:0:0/96
 *   (mapped), ::/96 (compatible), 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64), 2002::/16 (6to4) — judged
 *   by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback and `64:ff9b::8.8.8.8` is not.
 * An allow-list of CIDR ranges (tests, intranets) admits addresses these rules refuse.
 */

const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const BLOCKED_V6: readonly [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
blocked.addAddress('255.255.255.255', 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');

/** Why a CIDR range is not valid, or undefined when it is (`10.1.0.0/16`, `fd00::/8`, or a single address). */
export function cidrProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a CIDR range such as "10.1.0.0/16" (got ${JSON.stringify(value)})`;
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!family || extra !== undefined || !(bits >= 0 && bits <= max)) {
    return `"${value}" is not a CIDR range such as "10.1.0.0/16" or "fd00::/8"`;
  }
  return undefined;
}

/**
 * The address rules with an allow-list: `isAllowed(ip)` says whether a connection to `ip` may be made.
 * @publicApi
 */
export class AddressPolicy {
  private readonly allowed = new BlockList();

  /** `allowedRanges`: CIDR ranges (checked with `cidrProblem` at start-up) admitted despite the rules. */
  constructor(allowedRanges: readonly string[] = []) {
    for (const range of allowedRanges) {
      const [address, prefix] = range.split('/');
      const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      this.allowed.addSubnet(address, prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix), family);
    }
  }

  /** True when the server may connect to `ip`; false for anything that is not an IP address. */
  isAllowed(ip: string): boolean {
    const family = isIP(ip);
    if (!family) return false;
    const candidates = family === 4 ? [ip] : [ip, embeddedIpv4(ip)].filter((a): a is string => a !== undefined);
    // The allow-list is asked about the address as written and the IPv4 address it embeds, so an
    // allowed 127.0.0.1 also admits ::ffff:127.0.0.1, and a refused IPv4 address stays refused in any IPv6 dress.
    if (candidates.some((a) => this.allowed.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6'))) return true;
    return !candidates.some((a) => blocked.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6'));
  }
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or undefined. */
export function embeddedIpv4(ip: string): string | undefined {
  const groups = expandIpv6(ip);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated but still parsed by some stacks).
  if (zero(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) return v4(groups[6], groups[7]);
  // 64:ff9b::/96 (RFC 6052 well-known NAT64 prefix) and 64:ff9b:1::/48 (RFC 8215 local use).
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return v4(groups[6], groups[7]);
  // 2002:a.b.c.d::/48 (6to4, RFC 3056).
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (a zone index dropped), or undefined when it is not one. */
function expandIpv6(ip: string): number[] | undefined {
  const address = ip.split('%')[0];
  if (isIP(address) !== 6) return undefined;
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 ? groups : undefined;
}
