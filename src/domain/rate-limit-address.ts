// The key the admin API's per-address limits count under: an IPv4 address as it is, an IPv6 address by
// its /64 network (one line or host is given a whole /64, so a key per address would let one caller
// take a fresh bucket for every request).

/** `203.0.113.7` → itself; `2001:db8:1:2:a:b:c:d` → `2001:db8:1:2::/64`; `::ffff:203.0.113.7` → `203.0.113.7`. */
export function addressKey(address: string): string {
  const bare = address.split('%')[0]!.toLowerCase();
  if (!bare.includes(':')) return bare;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  const halves = bare.split('::');
  if (halves.length > 2) return bare;
  const groupsOf = (text: string | undefined): string[] => (text === undefined || text === '' ? [] : text.split(':'));
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return bare;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...tail];
  const network = groups.slice(0, 4).map((group) => Number.parseInt(group, 16));
  if (network.some((group) => !Number.isInteger(group) || group < 0 || group > 0xffff)) return bare;
  return `${network.map((group) => group.toString(16)).join(':')}::/64`;
}
