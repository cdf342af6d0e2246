import { isLoopbackHost } from './redirect-uri';

/**
 * Resource indicators (RFC 8707 §2): the `resource` a token is for, as an absolute URI.
 * - Canonical form: the scheme and host lowercased and the scheme's default port dropped; nothing
 *   else changes, so `https://API.example:443/v1` is `https://api.example/v1`, while `…/v1` and
 *   `…/v1/` stay two different resources (compared exactly after canonicalisation, as RFC 9728 §3.3
 *   compares the `resource` of a metadata document).
 * - Refused: anything that is not an absolute URI with an authority, a fragment (RFC 8707 §2
 *   "MUST NOT include a fragment component"), user information, whitespace or control characters.
 *   A query is allowed on the wire (RFC 8707 only says SHOULD NOT), but a configured resource may not
 *   carry one, so a requested URI with a query never names a configured resource.
 */

const SCHEME_AND_REST = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443' };
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/** The canonical form of a resource indicator, or undefined when `value` is not one (see the file header). */
export function canonicalResourceUri(value: string): string | undefined {
  if (WHITESPACE_OR_CONTROL.test(value) || value.includes('#')) return undefined;
  const parts = SCHEME_AND_REST.exec(value);
  if (!parts) return undefined;
  const [, scheme, authority, rest] = parts as unknown as [string, string, string, string];
  if (!authority || authority.includes('@')) return undefined;
  try {
    new URL(value);
  } catch {
    return undefined;
  }
  const lowerScheme = scheme.toLowerCase();
  const portAt = authority.lastIndexOf(':');
  const hasPort = portAt > authority.lastIndexOf(']');
  let host = (hasPort ? authority.slice(0, portAt) : authority).toLowerCase();
  const port = hasPort ? authority.slice(portAt + 1) : '';
  if (!host) return undefined;
  if (port && !/^\d+$/.test(port)) return undefined;
  const keepPort = port !== '' && String(Number(port)) !== DEFAULT_PORTS[lowerScheme];
  host = keepPort ? `${host}:${Number(port)}` : host;
  return `${lowerScheme}://${host}${rest}`;
}

/**
 * Why `value` cannot be configured as a resource, or undefined when it can: a resource indicator in
 * canonical form (see the file header), https (http on loopback only, as for the issuer), no query.
 */
export function configuredResourceProblem(value: string): string | undefined {
  const canonical = canonicalResourceUri(value);
  if (!canonical) {
    return `${JSON.stringify(value)} is not an absolute URI without a fragment or user information (RFC 8707 §2)`;
  }
  const url = new URL(canonical);
  if (url.search || canonical.includes('?')) return `${JSON.stringify(value)} must not contain a query (RFC 8707 §2)`;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return `${JSON.stringify(value)} must use https; http is allowed only on loopback hosts`;
  }
  if (canonical !== value) return `${JSON.stringify(value)} must be written in its canonical form ${JSON.stringify(canonical)}`;
  return undefined;
}
