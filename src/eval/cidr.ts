/**
 * IPv4 and IPv6 addresses and CIDR blocks as bigints. An IPv4 address never matches an IPv6
 * block and vice versa, except that an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is compared
 * as the IPv4 address it carries.
 */

export interface IpAddr {
  readonly v6: boolean;
  readonly n: bigint;
}

export interface CidrBlock {
  readonly v6: boolean;
  readonly base: bigint;
  readonly bits: number;
}

export function parseIp(text: string): IpAddr | undefined {
  const s = text.trim();
  if (s.includes(":")) {
    const n = parseIpv6(withoutZone(s)); // drop a zone id (`fe80::1%eth0`)
    if (n === undefined) return undefined;
    if (n >> 32n === 0xffffn) return { v6: false, n: n & 0xffffffffn };
    return { v6: true, n };
  }
  const n = parseIpv4(s);
  return n === undefined ? undefined : { v6: false, n };
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = (n << 8n) | BigInt(b);
  }
  return n;
}

function parseIpv6(s: string): bigint | undefined {
  let head = s;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    tailV4 = parseIpv4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = s.slice(0, lastColon + 1) + "0:0"; // placeholder groups, replaced below
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] | undefined => (h === "" ? [] : h.split(":"));
  const left = groups(halves[0] ?? "");
  const right = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (!left || !right) return undefined;
  const fill = 8 - left.length - right.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? fill : 0).fill("0"), ...right];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf("/");
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  let bits = width;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return undefined;
    bits = Number(b);
    // `::ffff:a.b.c.d/120` was parsed as IPv4: its prefix counts from the IPv6 width.
    if (!ip.v6 && text.includes(":")) bits -= 96;
    if (bits < 0 || bits > width) return undefined;
  }
  return { v6: ip.v6, base: mask(ip.n, bits, width), bits };
}

function mask(n: bigint, bits: number, width: number): bigint {
  const hostBits = BigInt(width - bits);
  return (n >> hostBits) << hostBits;
}

export function inCidr(ip: IpAddr, block: CidrBlock): boolean {
  if (ip.v6 !== block.v6) return false;
  return mask(ip.n, block.bits, ip.v6 ? 128 : 32) === block.base;
}

/** `s.replace(/%.*$/, "")` without the regex, which rescans from every `%` (quadratic). */
function withoutZone(s: string): string {
  const lineEnd = Math.max(s.lastIndexOf("\n"), s.lastIndexOf("\r"), s.lastIndexOf("\u2028"), s.lastIndexOf("\u2029"));
  const zone = s.indexOf("%", lineEnd + 1);
  return zone === -1 ? s : s.slice(0, zone);
}
