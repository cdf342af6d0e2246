import type { OAuthModuleOptions } from 'nest-oauth2-provider';

/** Where SHIFT mounts the OAuth endpoints: /v1/oauth2/auth, /token, /revoke, /introspect. */
export const SHIFT_OAUTH_PREFIX = 'v1/oauth2';

/** What a connected app may ask for, with the words the consent page shows. */
export const SHIFT_SCOPES: Record<string, string> = {
  profile: 'See your name and email address',
  offline_access: 'Stay connected when you are not using it',
  'teams:read': 'See the teams you belong to',
};

/** SHIFT's OAuth settings; the admin CLI uses the same ones so it validates clients the same way. */
export function shiftOAuthOptions(issuer: string, accessTokenTtl = 3600): OAuthModuleOptions {
  return {
    issuer,
    scopes: SHIFT_SCOPES,
    defaultScopes: ['profile'],
    passthroughParams: ['shift_team_id'],
    offlineAccessScope: 'offline_access',
    accessTokenTtl,
  };
}
