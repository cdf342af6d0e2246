import type { LoginHints, OAuthInteraction } from '../oauth-interaction';
import type { OAuthRequest } from '../oauth-request';

/**
 * The authorization request's path and query, to come back to after login, without the `prompt`
 * values in `dropPrompts` (and the parameters in `dropParams`) that sent the user away, so coming
 * back does not send them away again.
 */
export function returnPath(url: string, dropPrompts: readonly string[] = [], dropParams: readonly string[] = []): string {
  const parsed = new URL(url, 'http://localhost');
  if (dropPrompts.length) {
    const rest = (parsed.searchParams.get('prompt') ?? '').split(' ').filter((p) => p !== '' && !dropPrompts.includes(p));
    if (rest.length) parsed.searchParams.set('prompt', rest.join(' '));
    else parsed.searchParams.delete('prompt');
  }
  for (const name of dropParams) parsed.searchParams.delete(name);
  return parsed.pathname + parsed.search;
}

/** The host's login URL; the OpenID Connect hints go as the fourth argument only while OpenID Connect is on. */
export function loginUrl(interaction: OAuthInteraction, returnTo: string, req: OAuthRequest, force: boolean, hints?: LoginHints): string {
  return hints ? interaction.loginUrl(returnTo, req, force, hints) : interaction.loginUrl(returnTo, req, force);
}
