import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * host:port handling with Go's `net` semantics and error texts, because Toxiproxy answers a bad
 * listen address with Go's error message (`listen tcp: lookup 999.1.1.1: no such host`).
 */
export class AddressError extends Error {}

export interface HostPort {
  /** Empty means every interface (Go's `:8080`). */
  readonly host: string;
  readonly port: number;
}

/** Split like Go's net.SplitHostPort, then parse the port (0-65535). */
export function splitHostPort(address: string): HostPort {
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) throw new AddressError(`address ${address}: missing ']' in address`);
    if (address[close + 1] !== ':') throw new AddressError(`address ${address}: missing port in address`);
    host = address.slice(1, close);
    portText = address.slice(close + 2);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon < 0) throw new AddressError(`address ${address}: missing port in address`);
    host = address.slice(0, colon);
    if (host.includes(':')) throw new AddressError(`address ${address}: too many colons in address`);
    portText = address.slice(colon + 1);
  }
  return { host, port: parsePort(portText) };
}

/**
 * Go's LookupPort: a number (sign allowed) must be 0-65535, and its error names only the port
 * (`address 99999: invalid port`, as toxiproxy-server answers); anything else is a service
 * name, which toxiproxy-server looks up and we do not know.
 */
function parsePort(text: string): number {
  if (text === '') return 0;
  if (!/^[+-]?\d+$/.test(text)) throw new AddressError(`lookup tcp/${text}: unknown port`);
  const port = Number(text);
  if (!(port >= 0 && port <= 65535)) throw new AddressError(`address ${text}: invalid port`);
  return port;
}

/** Resolve a listen host to an IP literal ('' stays '' = all interfaces). IPv4 is preferred, as in Go. */
export async function resolveHost(host: string): Promise<string> {
  if (host === '' || isIP(host)) return host;
  // A dotted-numeric name that is not an IP cannot exist in DNS; answer at once, without a lookup.
  if (/^[\d.]+$/.test(host)) throw new AddressError(`lookup ${host}: no such host`);
  try {
    const all = await lookup(host, { all: true });
    const chosen = all.find((a) => a.family === 4) ?? all[0];
    if (!chosen) throw new AddressError(`lookup ${host}: no such host`);
    return chosen.address;
  } catch (err) {
    if (err instanceof AddressError) throw err;
    throw new AddressError(`lookup ${host}: no such host`);
  }
}

/** Format like Go's TCPAddr.String(): `127.0.0.1:80`, `[::1]:80`, `:80`. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The text of a failed bind, in Go's words. */
export function bindErrorText(address: string, err: NodeJS.ErrnoException): string {
  const reason: Record<string, string> = {
    EADDRINUSE: 'address already in use',
    EADDRNOTAVAIL: 'cannot assign requested address',
    EACCES: 'permission denied',
    EAFNOSUPPORT: 'address family not supported by protocol',
  };
  const text = (err.code && reason[err.code]) ?? err.message;
  return `listen tcp ${address}: bind: ${text}`;
}
