/**
 * The domain model the core and every store share. Plain camelCase types: the wire format
 * (snake_case) lives in the core's request/response code, and database rows in the TypeORM entities.
 */

/** Grant types this server implements (RFC 6749 §4.1, §4.4, §6). Implicit and password are absent on purpose (OAuth 2.1). */
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';
/** Every grant type this server implements, in the order the metadata lists them. @publicApi */
export const GRANT_TYPES: readonly GrantType[] = Object.freeze(['authorization_code', 'refresh_token', 'client_credentials']);

/**
 * What kind of application a client is (RFC 7591 §2 and OpenID Connect Dynamic Client Registration
 * `application_type`): a `web` app runs on a server or in a browser; a `native` app is installed on
 * the user's device (RFC 8252) and may use loopback redirects on any port and private-use schemes.
 */
export type ApplicationType = 'web' | 'native';
/** Every application type, as `ClientRegistration.applicationType` accepts them. @publicApi */
export const APPLICATION_TYPES: readonly ApplicationType[] = Object.freeze(['web', 'native']);

/**
 * How a client came to be registered, shown on the consent page so a user can tell an app the
 * operator vetted from one anybody could have registered:
 * - `operator`: by the server's operators (the admin CLI, or `ClientRegistry` in code);
 * - `developer`: by a signed-in user in a developer portal (the client has an `ownerId`);
 * - `dynamic`: by the client itself, through dynamic registration (RFC 7591);
 * - `url`: not registered at all, but identified by the https URL of its Client ID Metadata
 *   Document, which the server fetched (the `client_id` is that URL).
 */
export type ClientRegistrationKind = 'operator' | 'developer' | 'dynamic' | 'url';
/** Every registration kind. @publicApi */
export const CLIENT_REGISTRATION_KINDS: readonly ClientRegistrationKind[] = Object.freeze(['operator', 'developer', 'dynamic', 'url']);

/** A client's registration kind; a client saved without one (a store written before kinds existed) reads as the operator's, or a developer's when it has an owner. @publicApi */
export function registrationKindOf(client: Pick<OAuthClient, 'registration' | 'ownerId'>): ClientRegistrationKind {
  return client.registration ?? (client.ownerId ? 'developer' : 'operator');
}

/** A registered client application (RFC 6749 §2). @publicApi */
export interface OAuthClient {
  /** `client_id`: public, random. */
  id: string;
  /** Shown to users on the consent and connected-apps pages; always HTML-escaped there. */
  name: string;
  /** SHA-256 (hex) of the client secret; `null` for a public client (`token_endpoint_auth_method=none`). */
  secretHash: string | null;
  /**
   * Registered redirect URIs, matched by exact string comparison (RFC 9700 §4.1.3), except the port
   * of a native client's loopback IP redirect (RFC 8252 §7.3).
   */
  redirectUris: string[];
  /** Grants this client may use. */
  grantTypes: GrantType[];
  /** Scopes this client may ask for. */
  scopes: string[];
  /** May call the introspection endpoint (RFC 7662 §2.1): on for resource-server clients. */
  canIntrospect: boolean;
  /** `web` or `native` (RFC 8252 §8.4: the server records it and matches redirect URIs by it). */
  applicationType: ApplicationType;
  /**
   * The protected resources (RFC 8707) this client may get tokens for, as canonical identifiers; null
   * = every configured resource. Ignored when the server configures no resources.
   */
  resources: string[] | null;
  /**
   * The resource this client's requests get when they name none (RFC 8707 §2); wins over the server's
   * `defaultResource`. Null = the server's.
   */
  defaultResource: string | null;
  /** An https URL of the client's logo (RFC 7591 §2 `logo_uri`), shown on the consent page; absent = none. */
  logoUri?: string;
  /** An https URL of the client's home page (RFC 7591 §2 `client_uri`), the way back from an error page; absent = none. */
  clientUri?: string;
  /**
   * The user who registered the client in a developer portal (`ClientRegistry` with an owner); only
   * they may see, change, rotate or delete it there. Absent for clients an operator registered.
   */
  ownerId?: string;
  /** What the client does, in its developer's words, for a portal's list of apps; absent = none. */
  description?: string;
  /**
   * After a secret rotation with an overlap: the SHA-256 (hex) of the previous secret, which still
   * authenticates the client until `previousSecretExpiresAt`, so a deployment can switch secrets
   * without an outage. Both absent otherwise.
   */
  previousSecretHash?: string;
  previousSecretExpiresAt?: Date;
  /** How it was registered; absent reads as `operator` (see `registrationKindOf`). */
  registration?: ClientRegistrationKind;
  /**
   * SHA-256 (hex) of the registration access token (RFC 7592 §1) a dynamically registered client
   * manages its registration with; absent for other clients.
   */
  registrationAccessTokenHash?: string;
  /** RFC 7591 §2 `software_id` and `software_version`: which software registered it, when it said so. */
  softwareId?: string;
  softwareVersion?: string;
  /**
   * When the client last got a code or a token; absent = never. Lets a server delete dynamically
   * registered clients nobody uses.
   */
  lastUsedAt?: Date;
  /**
   * For a client identified by its Client ID Metadata Document (`registration: 'url'`): until when
   * the document fetched last may be used before it is fetched again.
   */
  metadataExpiresAt?: Date;
  /**
   * OpenID Connect Dynamic Client Registration §2 `id_token_signed_response_alg`: the algorithm of
   * the ID tokens this client receives; absent = RS256 (the OpenID default).
   */
  idTokenSignedResponseAlg?: SigningAlgorithm;
  /** `subject_type` (OpenID Connect Core §8): `public` (absent) or `pairwise`, a different `sub` per sector. */
  subjectType?: SubjectType;
  /**
   * `sector_identifier_uri` (OpenID Connect Registration §2): an https URL listing this client's
   * redirect URIs, whose host is the pairwise sector; absent = the host of its redirect URIs.
   */
  sectorIdentifierUri?: string;
  /** `post_logout_redirect_uris` (OpenID Connect RP-Initiated Logout §3.1), exact match; absent = none. */
  postLogoutRedirectUris?: string[];
  createdAt: Date;
}

/** OpenID Connect Core §8: one `sub` for every client (`public`), or one per sector (`pairwise`). @publicApi */
export type SubjectType = 'public' | 'pairwise';

/**
 * What an OpenID Connect grant remembers of the sign-in it came from (OpenID Connect Core §2, §3.1.2.1),
 * from the authorization request to the code, and from the code to every refresh token of the grant,
 * so an ID token minted on refresh carries the original `auth_time`, `acr` and `amr` (§12.2).
 * @publicApi
 */
export interface OpenIdAuthentication {
  /** When the user last authenticated, as the host's interaction reported it (`auth_time`). */
  authTime: Date | null;
  /** The authorization request's `nonce`, bound into the ID token of the code exchange (§3.1.2.1). */
  nonce?: string;
  /** Authentication context class reference (`acr`) and methods (`amr`), when the interaction reported them. */
  acr?: string;
  amr?: string[];
}

/**
 * An authorization code between the authorization and token endpoints (RFC 6749 §4.1.2),
 * bound to everything the token request must repeat.
 */
export interface AuthorizationCode {
  /** SHA-256 (hex) of the code; the code itself is never stored. */
  codeHash: string;
  clientId: string;
  userId: string;
  /** The redirect_uri of the authorization request, or null when the request omitted it (RFC 6749 §4.1.3). */
  redirectUri: string | null;
  scopes: string[];
  /**
   * The grant's resources (RFC 8707 §2), canonical, in the order the authorization request named them
   * (the first is the audience of a token request that names none); empty when none are configured.
   */
  resources: string[];
  /** PKCE (RFC 7636 §4.4): the challenge and its method, or null when PKCE was waived for a confidential client. */
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  /** Every token issued from this code carries this id, so a replayed code revokes them all (RFC 6749 §4.1.2). */
  grantId: string;
  createdAt: Date;
  expiresAt: Date;
  /** Set once, atomically, by `CodeStore.consume`; a second consumption is a replay. */
  consumedAt: Date | null;
  /**
   * Set by the first consumption after `consumedAt` (a replay, RFC 6749 §4.1.2): the token request
   * that won the code reads it after saving its tokens, so a replay that raced ahead of that save still
   * ends with the grant revoked (RFC 9700 §4.2.4).
   */
  replayedAt: Date | null;
  /** Set when the grant includes the `openid` scope: the sign-in its ID tokens describe. Absent/null otherwise. */
  openid?: OpenIdAuthentication | null;
}

/**
 * An access token (presented to APIs), a refresh token (presented only to the token endpoint), or the
 * record of a JWT access token (RFC 9068) kept when `jwt.recordTokens` is on. A `jwt_access` row is
 * stored under the SHA-256 of the token's `jti`, which is public: it is never accepted as a bearer
 * token itself, only consulted for introspection and revocation of the JWT that carries that `jti`.
 * An `initial_access` token (RFC 7591 §3) lets its holder register clients dynamically; it belongs to
 * no client (`clientId` is empty) and is accepted nowhere else.
 * @publicApi
 */
export type TokenKind = 'access' | 'refresh' | 'jwt_access' | 'initial_access';

/**
 * An access or refresh token. Tokens issued under one authorization grant share `grantId` (the
 * refresh-token family): revoking a family revokes every access and refresh token in it.
 */
export interface OAuthToken {
  /** Token id (not a secret): introspection's `jti`, the cache key for eviction. */
  id: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  kind: TokenKind;
  clientId: string;
  /** The resource owner; null for `client_credentials`. */
  userId: string | null;
  scopes: string[];
  /**
   * Resource indicators (RFC 8707). An access token: its audience, zero or one element (empty when the
   * server configures no resources). A refresh token: every resource of the grant, in the order the
   * authorization request gave, so it can mint an access token for any of them.
   */
  resources: string[];
  /** The authorization grant (family) this token belongs to. */
  grantId: string;
  /** The refresh token whose rotation produced this token, or null for tokens from the first issuance. */
  parentId: string | null;
  createdAt: Date;
  /**
   * When the grant was first issued (the code exchange, or the client_credentials request): every
   * token of a family carries it, so a rotation can enforce the absolute refresh lifetime.
   */
  grantCreatedAt: Date;
  expiresAt: Date;
  /** When the token was revoked, or null. A revoked token is never accepted again. */
  revokedAt: Date | null;
  /** Refresh tokens only: when it was exchanged for a new pair (rotation), or null while unused. */
  rotatedAt: Date | null;
  /**
   * Refresh tokens of a grant with the `openid` scope: the sign-in its ID tokens describe, copied from
   * the code and from each rotated token to its successor (without the `nonce`). Absent/null otherwise.
   */
  openid?: OpenIdAuthentication | null;
}

/** A user's remembered approval of a client (RFC 6749 §10.2: don't ask again for what was granted). @publicApi */
export interface Consent {
  userId: string;
  clientId: string;
  /** Every scope the user has approved for this client. */
  scopes: string[];
  /**
   * Every resource (RFC 8707) the user has approved for this client: a remembered consent covers a
   * request only when it covers its resources too. Empty when none are configured.
   */
  resources: string[];
  /** First approval. */
  createdAt: Date;
  /** Last time a token was issued to the client for this user. */
  lastUsedAt: Date;
}

/** A JWS algorithm the server signs access tokens with (RFC 7518 §3.1, RFC 8037). Never `none`, never HS*. @publicApi */
export type SigningAlgorithm = 'ES256' | 'EdDSA' | 'RS256';

/**
 * Where a signing key is in its life: `next` is published in the JWKS but signs nothing yet, `active`
 * signs, `retired` signs nothing and stays published until the last token it signed has expired.
 * @publicApi
 */
export type SigningKeyState = 'next' | 'active' | 'retired';

/** The public half of a signing key as a JWK (RFC 7517), with `kid`, `alg` and `use`. @publicApi */
export interface PublicJwk {
  kty: string;
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/**
 * A key that signs JWT access tokens (and later ID tokens). The private half is stored sealed under
 * the key-encryption key (AES-256-GCM), or it lives outside (a KMS or HSM) and `privateKey` holds the
 * `KeySigner`'s reference to it.
 * @publicApi
 */
export interface SigningKey {
  /** The JWK thumbprint of the public key (RFC 7638, SHA-256, base64url). */
  kid: string;
  alg: SigningAlgorithm;
  state: SigningKeyState;
  publicJwk: PublicJwk;
  /** The sealed private key, or the external signer's reference to it. */
  privateKey: string;
  /** When it was stored, which is when it was first published. */
  createdAt: Date;
  /** When it started signing, or null while `next`. */
  activatedAt: Date | null;
  /** When it stopped signing, or null unless `retired`. */
  retiredAt: Date | null;
  /** When a retired key may leave the JWKS: no token it signed is valid after that. Null unless retired. */
  expiresAt: Date | null;
}
