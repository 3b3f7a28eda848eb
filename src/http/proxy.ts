import { BlockList, isIP } from 'node:net';

/** An HTTP proxy that tunnels HTTPS with CONNECT. */
export interface HttpProxy {
  readonly hostname: string;
  readonly port: number;
  /** `Basic …`, when the proxy URL carried `user:pass@`. Never logged. */
  readonly authorization?: string;
  /** Scheme, host and port only: what errors and logs may name. */
  readonly label: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** The first of the names set to something, lower case first as curl and most tools read them. */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name.toLowerCase()] || env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * The proxy `HTTPS_PROXY` names, parsed. A URL without a scheme is taken as `http://`, as curl
 * does; a proxy spoken to over TLS (`https://`) is refused rather than silently bypassed.
 */
export function parseProxyUrl(value: string): HttpProxy {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    // The value may hold credentials: it is not repeated.
    throw new Error('HTTPS_PROXY is not a valid URL');
  }
  if (url.protocol !== 'http:')
    throw new Error(`HTTPS_PROXY must be an http:// proxy URL (got ${url.protocol}//${url.host})`);
  const port = url.port === '' ? 80 : Number(url.port);
  const label = `http://${url.host}`;
  const authorization =
    url.username === '' && url.password === ''
      ? undefined
      : `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    label,
    ...(authorization !== undefined && { authorization }),
  };
}

/** One NO_PROXY entry: a host, a `.domain`, an IP address or CIDR block, each with an optional port. */
interface Exemption {
  readonly port?: number;
  matches(hostname: string): boolean;
}

function exemption(entry: string): Exemption | undefined {
  let host = entry.toLowerCase();
  let port: number | undefined;
  // `[::1]:8443`, `[::1]`, `host:8443`; a bare IPv6 address has several colons and no port.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  const withPort = /^([^:]+):(\d+)$/.exec(host);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (withPort) {
    host = withPort[1]!;
    port = Number(withPort[2]);
  }
  const portPart = port === undefined ? {} : { port };
  const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
  if (cidr && isIP(cidr[1]!) !== 0) {
    const block = new BlockList();
    const family = isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6';
    block.addSubnet(cidr[1]!, Number(cidr[2]), family);
    return {
      ...portPart,
      matches: (hostname) => isIP(hostname) !== 0 && block.check(hostname, ipFamily(hostname)),
    };
  }
  host = host.replace(/\.$/, '');
  if (host === '') return undefined;
  if (host.startsWith('*.')) host = host.slice(1);
  if (host.startsWith('.')) return { ...portPart, matches: (hostname) => hostname.endsWith(host) };
  return {
    ...portPart,
    matches: (hostname) => hostname === host || (isIP(host) === 0 && hostname.endsWith(`.${host}`)),
  };
}

function ipFamily(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 4 ? 'ipv4' : 'ipv6';
}

/**
 * Whether NO_PROXY exempts a host: entries separated by commas (or spaces); `*` exempts every
 * host; `example.com` the host and its subdomains, `.example.com` only its subdomains; an IP
 * address or CIDR block the addresses it covers; `entry:port` only that port. Loopback is not
 * exempt unless listed.
 */
export function isExempt(noProxy: string, hostname: string, port: number): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  for (const entry of noProxy.split(/[\s,]+/)) {
    if (entry === '') continue;
    if (entry === '*') return true;
    const rule = exemption(entry);
    if (rule !== undefined && (rule.port === undefined || rule.port === port) && rule.matches(host))
      return true;
  }
  return false;
}

/**
 * The proxy HTTPS requests to this origin (port empty for 443) go through, from `HTTPS_PROXY` and
 * `NO_PROXY` (either case); undefined when none is set or the origin is exempt.
 */
export function proxyFor(
  origin: { readonly hostname: string; readonly port: string },
  env: Environment = process.env,
): HttpProxy | undefined {
  const proxyUrl = variable(env, 'https_proxy');
  if (proxyUrl === undefined) return undefined;
  const noProxy = variable(env, 'no_proxy');
  const port = origin.port === '' ? 443 : Number(origin.port);
  if (noProxy !== undefined && isExempt(noProxy, origin.hostname, port)) return undefined;
  return parseProxyUrl(proxyUrl);
}
