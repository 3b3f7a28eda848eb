/** Where a base URL points, as a connection pool takes it; the path has no trailing slash. */
export interface HttpsOrigin {
  readonly hostname: string;
  /** Empty for the scheme's default port. */
  readonly port: string;
  readonly basePath: string;
}

export function httpsOrigin(baseUrl: string | URL): HttpsOrigin {
  const base = typeof baseUrl === 'string' ? new URL(baseUrl) : baseUrl;
  return {
    // An IPv6 literal comes bracketed in a URL but must not be in a request's hostname.
    hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port,
    basePath: base.pathname.replace(/\/+$/, ''),
  };
}
