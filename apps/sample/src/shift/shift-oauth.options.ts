import type { OAuthModuleOptions } from 'nest-oauth2-provider';

/** Where SHIFT mounts the OAuth endpoints: /v1/oauth2/auth, /token, /revoke, /introspect. */
export const SHIFT_OAUTH_PREFIX = 'v1/oauth2';

/** What a connected app may ask for, with the words the consent page shows. */
export const SHIFT_SCOPES: Record<string, string> = {
  profile: 'See your name and email address',
  offline_access: 'Stay connected when you are not using it',
  'teams:read': 'See the teams you belong to',
  'files:read': 'See the files you keep in SHIFT Files',
};

/** SHIFT's two APIs as resource identifiers (RFC 8707): each accepts only tokens minted for it. */
export interface ShiftResources {
  /** SHIFT's own user API, `/v1/users/me` and `/v1/teams` on SHIFT's host. */
  userApi: string;
  /** SHIFT Files, the API on its own host. */
  files: string;
}

/** The identifiers of SHIFT's APIs, in the canonical form the library compares (lowercase host, no default port). */
export function shiftResources(issuer: string, filesUrl: string): ShiftResources {
  const files = new URL(filesUrl).href;
  return { userApi: `${new URL(issuer).origin}/v1/`, files: files.endsWith('/') ? files : `${files}/` };
}

/** The longest a SHIFT Files token lives: a JWT cannot be recalled once issued, so it is kept short. */
const FILES_TOKEN_TTL = 300;

/** SHIFT's OAuth settings; the admin CLI uses the same ones so it validates clients the same way. */
export function shiftOAuthOptions(issuer: string, filesUrl: string, accessTokenTtl = 3600): OAuthModuleOptions {
  const { userApi, files } = shiftResources(issuer, filesUrl);
  return {
    issuer,
    scopes: SHIFT_SCOPES,
    defaultScopes: ['profile'],
    passthroughParams: ['shift_team_id'],
    offlineAccessScope: 'offline_access',
    accessTokenTtl,
    resources: {
      [userApi]: { scopes: ['profile', 'teams:read'], name: 'SHIFT' },
      // SHIFT Files verifies these tokens itself from SHIFT's JWK Set (RFC 9068): no call to SHIFT per request.
      [files]: {
        scopes: ['files:read'],
        name: 'SHIFT Files',
        accessTokenFormat: 'jwt',
        accessTokenTtl: Math.min(accessTokenTtl, FILES_TOKEN_TTL),
      },
    },
    // Apps registered before SHIFT Files existed send no `resource`: they keep getting user-API tokens.
    defaultResource: userApi,
    resource: userApi,
  };
}
