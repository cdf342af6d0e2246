import type { SigningAlgorithm } from '../stores/models';
import type { SigningKeySettings } from './keys/signing-keys';
import type { PageSettings } from './pages/page-theme';
import type { ClientIdMetadataSettings } from './client-metadata/client-id-metadata-settings';
import type { RegistrationSettings } from './registration/registration-settings';
import type { OpenIdSettings } from './openid/openid-settings';

/**
 * The settings the core works with, after the module has applied the defaults and validated them.
 * The core owns this shape so that it never loads the option schema (and its validation library):
 * `resolveOAuthOptions` produces it, and a host that builds the core by hand can write one directly.
 * @publicApi
 */
export interface ServerSettings {
  /** The authorization server's issuer identifier (RFC 8414 §2), also the `iss` of responses (RFC 9207). */
  issuer: string;
  /** The path the endpoints are mounted under, without leading or trailing slashes. */
  prefix: string;
  /** Every scope the server knows, with the text the consent screen shows. */
  scopes: Readonly<Record<string, string>>;
  defaultScopes: readonly string[];
  passthroughParams: readonly string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** Seconds from a grant's first issuance after which it can no longer be refreshed; 0 = unbounded. */
  refreshTokenAbsoluteTtl: number;
  authorizationCodeTtl: number;
  refreshTokenGracePeriod: number;
  requirePkce: 'all' | 'public';
  allowPlainPkce: boolean;
  offlineAccessScope: string | false;
  rememberPublicClientConsent: boolean;
  requireHttps: boolean;
  bearer: { allowQueryToken: boolean; cache: { maxEntries: number; ttl: number } | false };
  /** `realm` of the `WWW-Authenticate` challenges (RFC 6750 §3, RFC 7617 §2). */
  realm: string;
  /**
   * The protected resources (RFC 8707), keyed by canonical identifier; empty when none are configured
   * (then tokens carry no audience).
   */
  resources: Readonly<Record<string, ResourceSettings>>;
  /** The resource of a request that names none, unless its client has its own default. */
  defaultResource: string | undefined;
  /** The resource this application's own `BearerGuard` protects (the audience it accepts). */
  resource: string | undefined;
  /** The server key (CSRF tokens, refresh successors); undefined = a random key per process. */
  secret: string | undefined;
  /** The look of the built-in consent and error pages; undefined = the built-in defaults. */
  pages?: PageSettings;
  /** JWT access tokens (RFC 9068) and their signing keys; undefined = no resource uses them. */
  jwt?: JwtSettings;
  /** Clients identified by the URL of their Client ID Metadata Document; undefined = off. */
  clientIdMetadataDocuments?: ClientIdMetadataSettings;
  /** Dynamic client registration (RFC 7591, RFC 7592); undefined or `enabled: false` = off. */
  registration?: RegistrationSettings;
  /** OpenID Connect Core 1.0; undefined = off (the `openid` scope is then an ordinary scope, if configured at all). */
  openid?: OpenIdSettings;
}

/** JWT access tokens and ID tokens after defaults. @publicApi */
export interface JwtSettings {
  /** Rotation and publication of the signing keys; `algorithms` lists those the JWT resources and ID tokens use. */
  keys: SigningKeySettings;
  /**
   * The algorithms of JWT access tokens (those of the JWT resources): the allow-list a bearer JWT is
   * checked against. Empty when only ID tokens are signed (OpenID Connect without JWT resources).
   */
  accessTokenAlgorithms: readonly SigningAlgorithm[];
  /** Record each JWT's `jti` (a `jwt_access` token row) for introspection and revocation. */
  recordTokens: boolean;
  /** The key-encryption key (32 bytes, base64 or hex) sealing private keys at rest. */
  keyEncryptionKey: string | undefined;
  /** Where a generated key-encryption key is kept when none is configured outside production. */
  keyEncryptionKeyFile: string | undefined;
}

/** One configured resource (RFC 8707), after defaults. @publicApi */
export interface ResourceSettings {
  /** Its scopes: a token for this resource carries only these and the server-level scopes. */
  scopes: readonly string[];
  /** Access-token lifetime in seconds for this resource. */
  accessTokenTtl: number;
  /** Its name in words (consent page, RFC 9728 `resource_name`). */
  name: string;
  /** Opaque access tokens (stored hashed) or RFC 9068 JWTs verified locally. */
  accessTokenFormat: 'opaque' | 'jwt';
  /** The JWS algorithm of its JWT access tokens. */
  signingAlgorithm: SigningAlgorithm;
}
