/**
 * Whether text has the shape of an IPv6 address (hex digits, dots and colons, at least one colon),
 * bare or with a `/prefix`. Not `^[…]*:[…]*$`: its two stars try every split of a long run of
 * colons, quadratic on a hostile value.
 */
export function looksLikeIpv6(text: string): boolean {
  return text.includes(":") && /^[0-9A-Fa-f:.]*$/.test(text);
}

export function looksLikeIpv6Cidr(text: string): boolean {
  return text.includes(":") && /^[0-9A-Fa-f:.]*\/\d{1,3}$/.test(text);
}
