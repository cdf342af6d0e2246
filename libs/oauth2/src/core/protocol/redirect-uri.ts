/**
 * Redirect URI rules:
 * - registration: absolute, no fragment (RFC 6749 §3.1.2), https except loopback http (RFC 8252 §7.3,
 *   RFC 9700 §4.1.1), no userinfo;
 * - authorization requests: exact string match against the registered list (RFC 9700 §4.1.3),
 *   no normalisation, so `…/cb/` ≠ `…/cb` and `HTTPS://` ≠ `https://`.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.0.0.1` and `[::1]` (as `URL.hostname` spells them). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Why a redirect URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI "${uri}" is not an absolute URL`;
  }
  if (uri.includes('#')) return `redirect URI "${uri}" must not contain a fragment (RFC 6749 §3.1.2)`;
  if (url.username || url.password) return `redirect URI "${uri}" must not contain user information`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : `redirect URI "${uri}" must use https (plain http is allowed only for loopback hosts)`;
  }
  return `redirect URI "${uri}" must use https (or http on a loopback host)`;
}

/** Exact string match against the registered URIs (RFC 9700 §4.1.3). */
export function isRedirectUriRegistered(registered: readonly string[], uri: string): boolean {
  return registered.includes(uri);
}
