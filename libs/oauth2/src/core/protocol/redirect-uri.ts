import type { ApplicationType } from '../../stores/models';

/**
 * Redirect URI rules:
 * - registration: absolute, no fragment (RFC 6749 §3.1.2), no userinfo, no whitespace or control
 *   characters (RFC 3986 §2 has none), and written exactly as a URL parser writes it back
 *   (`new URL(u).href === u`), so "exact match" compares what the browser will be sent to;
 * - https, except http on a loopback host (RFC 8252 §7.3, RFC 9700 §4.1.1); native clients may also
 *   register a private-use scheme in reverse-domain form, `com.example.app:/cb` (RFC 8252 §7.1),
 *   which web clients may not (RFC 8252 §8.4: the server records the client type and acts on it);
 * - authorization requests: exact string match against the registered list (RFC 9700 §4.1.3), no
 *   normalisation, so `…/cb/` ≠ `…/cb` and `HTTPS://` ≠ `https://`. One exception, for native
 *   clients only: on a loopback IP literal (`127.0.0.1`, `[::1]`) any port matches, because the
 *   app listens on whatever port the OS gives it (RFC 8252 §7.3); scheme, host, path and query still
 *   match exactly. `localhost` keeps the exact match, port included: RFC 8252 §8.3 calls it NOT
 *   RECOMMENDED (it may resolve off the machine, and other apps can bind it), so it gets no extra;
 * - a registered URI that these rules refuse (stored before a rule existed) never matches.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Loopback IP literals, as `URL.hostname` spells them: the only hosts whose port may vary (RFC 8252 §7.3). */
const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
// Any Unicode whitespace (\s covers NBSP, U+2028 …) or C0/C1 control character.
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;
/** RFC 3986 §3.1 scheme with at least one dot: the reverse-domain form RFC 8252 §7.1 requires. */
const REVERSE_DOMAIN_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** True for `localhost`, `127.0.0.1` and `[::1]` (as `URL.hostname` spells them). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Why a redirect URI cannot be registered for a client of `applicationType`, or undefined when it can. */
export function redirectUriProblem(uri: string, applicationType: ApplicationType): string | undefined {
  // A space would let one value read back as two from a space-separated list; a control character
  // (CR, LF, NUL, tab) has no place in a URI and is dropped or refused differently by each parser.
  if (WHITESPACE_OR_CONTROL.test(uri)) return `redirect URI ${JSON.stringify(uri)} must not contain whitespace or control characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI "${uri}" is not an absolute URL`;
  }
  if (uri.includes('#')) return `redirect URI "${uri}" must not contain a fragment (RFC 6749 §3.1.2)`;
  if (url.username || url.password) return `redirect URI "${uri}" must not contain user information`;
  if (url.href !== uri) return `redirect URI "${uri}" must be written in its canonical form "${url.href}"`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : `redirect URI "${uri}" must use https (plain http is allowed only for loopback hosts)`;
  }
  if (REVERSE_DOMAIN_SCHEME.test(url.protocol)) {
    return applicationType === 'native'
      ? undefined
      : `redirect URI "${uri}" uses a private-use URI scheme, which only a native application may register (RFC 8252 §7.1, §8.4)`;
  }
  return applicationType === 'native'
    ? `redirect URI "${uri}" must use https, http on a loopback host, or a private-use scheme in reverse-domain form such as com.example.app: (RFC 8252 §7.1)`
    : `redirect URI "${uri}" must use https (or http on a loopback host)`;
}

/**
 * Whether `uri` may receive an authorization response for a client with these registered URIs:
 * an exact match, or for a native client a loopback IP redirect on another port (RFC 8252 §7.3).
 * Registered URIs the registration rules refuse are skipped.
 */
export function isRedirectUriRegistered(registered: readonly string[], uri: string, applicationType: ApplicationType): boolean {
  const usable = registered.filter((r) => redirectUriProblem(r, applicationType) === undefined);
  if (usable.includes(uri)) return true;
  if (applicationType !== 'native' || redirectUriProblem(uri, applicationType) !== undefined) return false;
  const requested = new URL(uri);
  if (requested.protocol !== 'http:' || !LOOPBACK_IPS.has(requested.hostname)) return false;
  // Both are canonical (checked above), so with the port blanked out on each side, comparing the
  // strings is exactly "scheme, host, path and query equal" (an empty `?` included).
  const portless = withoutPort(requested);
  return usable.some((r) => withoutPort(new URL(r)) === portless);
}

function withoutPort(url: URL): string {
  const copy = new URL(url.href);
  copy.port = '';
  return copy.href;
}
