import { safeDescription } from '../error-response';
import type { OAuthError } from '../oauth.errors';
import { redirectResponse, type OAuthResponse } from '../oauth-response';
import type { RedirectTarget } from './authorization-request';

/**
 * Authorization responses (RFC 6749 §4.1.2, §4.1.2.1) sent to the trusted redirect URI, as query
 * parameters appended to any query it already has (§3.1.2). Each carries `iss` (RFC 9207 §2) so a
 * client talking to several servers can tell which one answered (mix-up defence, RFC 9700 §4.4).
 */

/** A redirect with `params` (undefined values skipped), `state` and `iss` added. */
export function authorizationRedirect(target: RedirectTarget, issuer: string, params: Record<string, string | undefined>): OAuthResponse {
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  if (target.state !== undefined) url.searchParams.append('state', target.state);
  url.searchParams.append('iss', issuer);
  return redirectResponse(url.toString(), { 'Referrer-Policy': 'no-referrer' });
}

/** A redirect carrying `error` and `error_description` (RFC 6749 §4.1.2.1). */
export function errorRedirect(target: RedirectTarget, issuer: string, error: OAuthError): OAuthResponse {
  return authorizationRedirect(target, issuer, {
    error: error.code,
    error_description: error.description === undefined ? undefined : safeDescription(error.description),
  });
}
