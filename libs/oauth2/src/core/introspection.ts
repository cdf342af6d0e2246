import type { ClientStore } from '../stores/client.store';
import type { OAuthToken } from '../stores/models';
import type { TokenStore } from '../stores/token.store';
import type { Clock } from './clock';
import { respondOrError } from './error-response';
import { InvalidClientError, InvalidRequestError, UnauthorizedClientError } from './oauth.errors';
import type { OAuthRequest } from './oauth-request';
import { jsonResponse, type OAuthResponse } from './oauth-response';
import { authenticateClient } from './protocol/client-authentication';
import { hashSecret } from './protocol/credentials';
import { singleValuedParams } from './protocol/single-valued-params';
import { requireFormBody } from './revocation';
import { readIssuedJwt, type IssuedJwtClaims, type IssuedJwtSettings } from './jwt/issued-jwt';
import type { ServerSettings } from './server-settings';

/** An authenticated client without the introspection permission: 403, since its credentials were fine (RFC 7662 §2.1, §4). */
export class IntrospectionNotAllowedError extends UnauthorizedClientError {
  override readonly status = 403;
  override readonly redirectable = false;
}

/** The answer for anything that is not a usable token: `active` alone, nothing to learn from (RFC 7662 §2.2). */
const INACTIVE = Object.freeze({ active: false });

/** What the introspection endpoint needs. @publicApi */
export interface TokenIntrospectionDeps {
  /** `issuer` is the `iss` of active responses; `realm` names the `WWW-Authenticate: Basic` challenge. */
  options: Pick<ServerSettings, 'issuer' | 'realm'>;
  clients: ClientStore;
  tokens: TokenStore;
  clock: Clock;
  /** This server's JWT access tokens (RFC 9068); undefined when no resource uses them. */
  jwt?: IssuedJwtSettings;
  /** Told about unexpected errors (the client sees only a generic `server_error`). */
  reportError?: (error: unknown) => void;
}

/**
 * The introspection endpoint, `POST {prefix}/introspect` (RFC 7662).
 *
 * - Only clients that authenticate with a secret and have `canIntrospect` (resource servers) may ask
 *   (§2.1, §4: otherwise the endpoint would be a token-scanning oracle). Bad or missing credentials
 *   → 401 `invalid_client`; a public client → 401 `invalid_client`; an authenticated client without
 *   the flag → 403 `unauthorized_client`.
 * - An active token → `active`, `scope`, `client_id`, `sub` (when a user is behind it), `token_type`
 *   (`Bearer` for access tokens; omitted for refresh tokens, which have no RFC 6749 §7.1 type), `exp`,
 *   `iat`, `iss` and `jti`, and `aud` (RFC 7662 §2.2, RFC 8707): an access token's audience as a
 *   string; for a refresh token the grant's resources (a string for one, an array for several);
 *   omitted when the token has none. Unknown, expired, revoked, rotated, or of a deleted client →
 *   `{"active": false}` only (§2.2).
 * - A JWT access token (RFC 9068) is verified, not looked up: this server's signature, `typ`, `iss`
 *   and `exp`, any audience. With `jwt.recordTokens` it is active only while its `jwt_access` row
 *   exists unrevoked; without, while it is valid. Its client must still exist, and the answer is
 *   read from its claims. A `jwt_access` row's own `jti` is not a bearer credential: inactive.
 * - `token_type_hint` is ignored beyond a repetition check: the token is found by its hash (§2.1).
 * @publicApi
 */
export class TokenIntrospection {
  constructor(private readonly deps: TokenIntrospectionDeps) {}

  /**
   * Handles one introspection request; never throws. Protocol errors come back as their RFC 6749 §5.2
   * response (RFC 7662 §2.3), anything unexpected as `server_error` or `temporarily_unavailable`.
   */
  handle(request: OAuthRequest): Promise<OAuthResponse> {
    return respondOrError(() => this.introspect(request), { realm: this.deps.options.realm, reportError: this.deps.reportError });
  }

  private async introspect(request: OAuthRequest): Promise<OAuthResponse> {
    requireFormBody(request, 'RFC 7662 section 2.1');
    const params = singleValuedParams(request.body, ['token', 'token_type_hint']);
    const { client, method } = await authenticateClient(request, this.deps.clients, this.deps.clock.now());
    if (method === 'none')
      throw new InvalidClientError('Introspection requires client authentication with a secret (RFC 7662 section 2.1)');
    if (!client.canIntrospect) throw new IntrospectionNotAllowedError('This client is not allowed to introspect tokens');
    if (params.token === undefined) throw new InvalidRequestError('The token parameter is required (RFC 7662 section 2.1)');

    const jwt = this.deps.jwt && (await readIssuedJwt(params.token, this.deps.jwt, this.deps.clock));
    if (jwt) return jsonResponse(200, (await this.isActiveJwt(jwt)) ? describeJwt(jwt) : INACTIVE);

    const token = await this.deps.tokens.findByHash(hashSecret(params.token));
    if (
      !token ||
      token.kind === 'jwt_access' ||
      token.kind === 'initial_access' ||
      !this.isActive(token) ||
      !(await this.deps.clients.findById(token.clientId))
    )
      return jsonResponse(200, INACTIVE);
    return jsonResponse(200, this.describe(token));
  }

  private isActive(token: OAuthToken): boolean {
    // A rotated refresh token can no longer be exchanged: reporting it active would be a lie.
    return !token.revokedAt && !token.rotatedAt && token.expiresAt.getTime() > this.deps.clock.now().getTime();
  }

  private async isActiveJwt(claims: IssuedJwtClaims): Promise<boolean> {
    if (this.deps.jwt?.recordTokens) {
      const row = await this.deps.tokens.findByHash(hashSecret(claims.jti));
      if (!row || row.kind !== 'jwt_access' || row.revokedAt || row.clientId !== claims.client_id) return false;
    }
    return (await this.deps.clients.findById(claims.client_id)) !== undefined;
  }

  private describe(token: OAuthToken): Record<string, unknown> {
    return {
      active: true,
      scope: token.scopes.join(' '),
      client_id: token.clientId,
      ...(token.userId !== null ? { sub: token.userId } : {}),
      ...(token.kind === 'access' ? { token_type: 'Bearer' } : {}),
      ...audienceClaim(token.resources),
      exp: Math.floor(token.expiresAt.getTime() / 1000),
      iat: Math.floor(token.createdAt.getTime() / 1000),
      iss: this.deps.options.issuer,
      jti: token.id,
    };
  }
}

/** An active JWT access token described from its own claims; `sub` only when a user is behind it (RFC 9068 §2.2). */
function describeJwt(claims: IssuedJwtClaims): Record<string, unknown> {
  return {
    active: true,
    scope: claims.scope ?? '',
    client_id: claims.client_id,
    ...(claims.sub !== claims.client_id ? { sub: claims.sub } : {}),
    token_type: 'Bearer',
    aud: claims.aud,
    exp: claims.exp,
    iat: claims.iat,
    iss: claims.iss,
    jti: claims.jti,
  };
}

/** `aud` (RFC 7662 §2.2 after RFC 7519 §4.1.3): one resource as a string, several as an array, none omitted. */
function audienceClaim(resources: readonly string[]): { aud?: string | string[] } {
  if (!resources.length) return {};
  return { aud: resources.length === 1 ? resources[0] : [...resources] };
}
