// Whether a host name or address is this machine's loopback: traffic to it never crosses a network,
// so plain (unencrypted) connections to it are allowed where others must use TLS.
import { isIPv4, isIPv6 } from 'node:net';

/** True for `localhost`, 127.0.0.0/8, `::1` and an IPv4-mapped loopback such as `::ffff:127.0.0.1`. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  if (name === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(name)) return true;
  // An IPv4-mapped address, as written (::ffff:127.0.0.1) or as URL parsing gives it (::ffff:7f00:1).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
  return mapped?.startsWith('127.') || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(name);
}
