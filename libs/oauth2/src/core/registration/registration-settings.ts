import type { GrantType } from '../../stores/models';

/** A client authentication method at the token endpoint (RFC 7591 §2 `token_endpoint_auth_method`). @publicApi */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
/** Every method this server implements. @publicApi */
export const TOKEN_ENDPOINT_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = Object.freeze([
  'none',
  'client_secret_basic',
  'client_secret_post',
]);

/** A request budget: at most `limit` requests per `ttl` seconds. */
export interface RegistrationRateLimit {
  limit: number;
  ttl: number;
}

/** Dynamic client registration (RFC 7591, RFC 7592) after defaults. @publicApi */
export interface RegistrationSettings {
  enabled: boolean;
  /**
   * `required`: every registration needs an initial access token (RFC 7591 §3); `optional`: one may be
   * sent, and then must be valid (and spares the request the rate limits); `none`: open registration.
   */
  initialAccessToken: 'required' | 'optional' | 'none';
  /** The grant types a dynamically registered client may ask for. */
  grantTypes: readonly GrantType[];
  /** The token endpoint authentication methods it may ask for: `none` makes a public client. */
  tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[];
  /** The scopes it may ask for. */
  scopes: readonly string[];
  /** The scopes it gets when its request names none. */
  defaultScope: readonly string[];
  /** The resource (RFC 8707) its requests get when they name none; undefined = the server's. */
  defaultResource: string | undefined;
  /** Answer an identical re-registration of a public client with the client registered before. */
  reusePublicClients: boolean;
  /** What limits a client's later scope requests: the scope it registered, or every scope of `scopes`. */
  scopeLimit: 'registered' | 'policy';
  /** Creation limits, per IP and over all addresses; false = none. */
  rateLimit: { perIp: RegistrationRateLimit | false; global: RegistrationRateLimit | false };
  /** Seconds after which a client nobody ever used is deleted; false = never. */
  unusedClientTtl: number | false;
  /** Seconds after its last use at which a client is deleted; false = never. */
  idleClientTtl: number | false;
}
