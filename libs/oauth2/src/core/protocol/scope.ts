import { InvalidScopeError } from '../oauth.errors';

/**
 * Scope parameter handling (RFC 6749 §3.3): a space-delimited list of scope-tokens
 * (`1*( %x21 / %x23-5B / %x5D-7E )`), order-insensitive, duplicates ignored.
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Split a `scope` parameter into distinct scope-tokens; a malformed one is `invalid_scope`. */
export function parseScope(value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value.split(' ').filter((s) => s !== '');
  for (const name of names) {
    if (!SCOPE_TOKEN.test(name)) throw new InvalidScopeError('The scope parameter contains an invalid scope-token (RFC 6749 §3.3)');
  }
  return [...new Set(names)];
}

/** The wire form of a scope list: space-delimited. */
export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/** The scopes of `requested` that are not in `allowed`. */
export function scopesOutside(requested: readonly string[], allowed: readonly string[]): string[] {
  return requested.filter((s) => !allowed.includes(s));
}

/**
 * The scopes a request gets: the requested ones when each is configured and allowed for the client,
 * otherwise `invalid_scope`; with no `scope` parameter, the configured defaults the client may have
 * (RFC 6749 §3.3 lets the server pick a default or fail — it fails when nothing is left).
 */
export function grantableScopes(
  requested: readonly string[],
  clientScopes: readonly string[],
  configured: readonly string[],
  defaults: readonly string[],
): string[] {
  if (requested.length === 0) {
    const fallback = defaults.filter((s) => clientScopes.includes(s) && configured.includes(s));
    if (fallback.length === 0) throw new InvalidScopeError('The request must name at least one scope (no default scope applies)');
    return fallback;
  }
  const unknown = scopesOutside(requested, configured);
  if (unknown.length) throw new InvalidScopeError(`Unknown scope: ${unknown.join(' ')}`);
  const refused = scopesOutside(requested, clientScopes);
  if (refused.length) throw new InvalidScopeError(`This client may not request the scope: ${refused.join(' ')}`);
  return [...requested];
}
