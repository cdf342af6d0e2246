import type { OAuthModuleOptions } from 'nest-oauth2-provider';
import type { SampleConfig } from '../sample-config';
import { MCP_SCOPES } from './mcp/mcp-tools';

/** Where SHIFT mounts the OAuth endpoints: /v1/oauth2/auth, /token, /revoke, /introspect. */
export const SHIFT_OAUTH_PREFIX = 'v1/oauth2';

/** What a connected app may ask for, with the words the consent page shows. */
export const SHIFT_SCOPES: Record<string, string> = {
  // OpenID Connect sign-in ("Log in with SHIFT" that tells the app who you are).
  openid: 'Know who you are on SHIFT, to sign you in',
  profile: 'See your name and email address',
  email: 'See your email address',
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
  /** SHIFT's MCP server, `/mcp` on SHIFT's host: the resource agents get by default. */
  mcp: string;
}

/** The identifiers of SHIFT's APIs, in the canonical form the library compares (lowercase host, no default port). */
export function shiftResources(issuer: string, filesUrl: string): ShiftResources {
  const files = new URL(filesUrl).href;
  return { userApi: `${new URL(issuer).origin}/v1/`, files: files.endsWith('/') ? files : `${files}/`, mcp: mcpResource(issuer) };
}

/** SHIFT's MCP server as a resource: `/mcp` on SHIFT's host, with no trailing slash (RFC 8707 §2). */
export function mcpResource(issuer: string): string {
  return `${new URL(issuer).origin}/mcp`;
}

/** The longest a SHIFT Files token lives unless FILES_TOKEN_TTL says otherwise: a JWT cannot be recalled once issued, so it is kept short. */
const FILES_TOKEN_TTL = 300;

/** The sample settings SHIFT's OAuth options are built from. */
export type ShiftOAuthSettings = Pick<
  SampleConfig,
  | 'issuer'
  | 'filesUrl'
  | 'accessTokenTtl'
  | 'filesTokenTtl'
  | 'idTokenTtl'
  | 'jwksMaxAge'
  | 'keyRefreshInterval'
  | 'clockTolerance'
  | 'keyEncryptionKey'
  | 'clientIdMetadataAllowedAddresses'
  | 'clientIdMetadataCa'
>;

/**
 * SHIFT's OAuth settings. The admin CLI builds them from the same settings, so it validates clients
 * the same way, and a `keys rotate` publishes and holds keys for exactly as long as the running SHIFT does.
 */
export function shiftOAuthOptions(settings: ShiftOAuthSettings): OAuthModuleOptions {
  const { issuer, accessTokenTtl } = settings;
  const { userApi, files, mcp } = shiftResources(issuer, settings.filesUrl);
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
        accessTokenTtl: settings.filesTokenTtl ?? Math.min(accessTokenTtl, FILES_TOKEN_TTL),
      },
      // The MCP server's tools read the same data in-process, each behind its API's scope.
      [mcp]: { scopes: [...MCP_SCOPES], name: 'SHIFT MCP server' },
    },
    // Apps registered before SHIFT Files existed send no `resource`: they keep getting user-API tokens.
    defaultResource: userApi,
    resource: userApi,
    // Apps nobody registered, known by the https URL of their Client ID Metadata Document (as MCP
    // clients are), from any https host outside private networks (the default trust policy). A request
    // of theirs that names no API gets the one an agent is for: SHIFT's MCP server.
    clientIdMetadataDocuments: {
      enabled: true,
      allowClientIdUrl: () => ({ defaultResource: mcp }),
      // Unset: public hosts only, checked against the system's CAs.
      ...definedOnly({ allowedAddresses: settings.clientIdMetadataAllowedAddresses, ca: settings.clientIdMetadataCa }),
    },
    // Dynamic client registration (RFC 7591), open as AI agents and MCP clients expect, within limits:
    // an identical public re-registration gets its earlier client back, and unused clients go after a day.
    registration: {
      enabled: true,
      initialAccessToken: 'none',
      reusePublicClients: true,
      // Agents register with the scope they were first challenged for, then step up per tool.
      scopeLimit: 'policy',
      defaultScope: ['profile'],
      // Clients that register themselves are agents: the MCP server is what they come for.
      defaultResource: mcp,
      rateLimit: { perIp: { limit: 10, ttl: 3600 }, global: { limit: 500, ttl: 3600 } },
    },
    // OpenID Connect (ID tokens, UserInfo, discovery, logout); SHIFT's claims come from ShiftClaims, and
    // the claims of the granted scopes go into the ID token too. ID tokens are RS256 only, the algorithm
    // every relying party accepts (OpenID Registration §2's default): one key pair more to rotate, not three.
    openid: { idTokenSigningAlgorithms: ['RS256'], ...definedOnly({ idTokenTtl: settings.idTokenTtl }) },
    jwt: definedOnly({
      // Unset: the library's default applies (a key it keeps for development; refused in production).
      keyEncryptionKey: settings.keyEncryptionKey,
      jwksMaxAge: settings.jwksMaxAge,
      keyRefreshInterval: settings.keyRefreshInterval,
      clockTolerance: settings.clockTolerance,
    }),
  };
}

/** The settings that are set, or undefined when none is: unset ones fall back to the library's defaults. */
function definedOnly<T extends object>(values: T): Partial<T> | undefined {
  const set = Object.entries(values).filter(([, value]) => value !== undefined);
  return set.length ? (Object.fromEntries(set) as Partial<T>) : undefined;
}
