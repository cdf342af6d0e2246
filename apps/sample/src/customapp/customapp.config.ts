import type { SampleConfig } from '../sample-config';
import { shiftResources, type ShiftResources } from '../shift/shift-oauth.options';

/** What CustomApp knows about itself and about SHIFT: only public URLs. */
export interface CustomAppConfig {
  /** SHIFT's issuer identifier; its metadata (RFC 8414) names every endpoint. */
  shiftIssuer: string;
  /** CustomApp's public base URL. */
  publicUrl: string;
  /** The registered redirect URI: `<publicUrl>/oauth/redirect`. */
  redirectUri: string;
  /**
   * Where SHIFT sends the browser back after signing the user out (OpenID Connect RP-Initiated
   * Logout §3): `<publicUrl>/signed-out`, registered with CustomApp's client as its one post-logout URI.
   */
  postLogoutRedirectUri: string;
  /** The scopes CustomApp asks for. */
  scope: string;
  /**
   * The two APIs CustomApp asks for (RFC 8707 `resource`), by identifier: SHIFT's user API and SHIFT
   * Files. One grant covers both; each access token is good at one of them only.
   */
  resources: ShiftResources;
}

export const CUSTOMAPP_CONFIG = 'customapp:config';

/** CustomApp's own TypeORM data source name: its tables, its connection, nothing shared with SHIFT's. */
export const CUSTOMAPP_DATA_SOURCE = 'customapp';

/** CustomApp's configuration, from the sample's validated settings. */
export function customAppConfig(config: SampleConfig): CustomAppConfig {
  return {
    shiftIssuer: config.issuer,
    publicUrl: config.customAppUrl,
    redirectUri: `${config.customAppUrl}/oauth/redirect`,
    postLogoutRedirectUri: `${config.customAppUrl}/signed-out`,
    // `openid`: sign in with SHIFT (an ID token says who); `profile` and `email` put the name and address in it.
    scope: 'openid profile email offline_access teams:read files:read',
    resources: shiftResources(config.issuer, config.filesUrl),
  };
}
