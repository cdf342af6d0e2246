import type { ClientStore } from '../stores/client.store';
import type { ConsentStore } from '../stores/consent.store';
import type { TokenStore } from '../stores/token.store';
import type { Clock } from './clock';
import { respondOrError } from './error-response';
import { InvalidRequestError, UnsupportedTokenTypeError } from './oauth.errors';
import { readIssuedJwt, type IssuedJwtClaims, type IssuedJwtSettings } from './jwt/issued-jwt';
import type { OAuthRequest } from './oauth-request';
import { NO_STORE_HEADERS, type OAuthResponse } from './oauth-response';
import { authenticateClient } from './protocol/client-authentication';
import { isFormContentType } from './protocol/form-content-type';
import { hashSecret } from './protocol/credentials';
import { singleValuedParams } from './protocol/single-valued-params';
import { hashPrefix, type SecurityEventReporter } from './security-events';
import type { ServerSettings } from './server-settings';
import type { TokenCache } from './token-cache';
import { disconnectClient } from './tokens/disconnect-client';
import { revokeFamily } from './tokens/revoke-family';

/** What the revocation endpoint needs. @publicApi */
export interface TokenRevocationDeps {
  /** `realm` names the `WWW-Authenticate: Basic` challenge after a failed HTTP Basic authentication. */
  options: Pick<ServerSettings, 'realm'>;
  clients: ClientStore;
  tokens: TokenStore;
  consents: ConsentStore;
  /** This instance's bearer cache: revoked tokens are evicted from it at once. */
  cache: TokenCache;
  clock: Clock;
  /** This server's JWT access tokens (RFC 9068); undefined when no resource uses them. */
  jwt?: IssuedJwtSettings;
  /** Told about unexpected errors (the client sees only a generic `server_error`). */
  reportError?: (error: unknown) => void;
  /** Told about another client's live token presented for revocation (ids and a hash prefix only). */
  reportSecurityEvent?: SecurityEventReporter;
}

/**
 * The revocation endpoint, `POST {prefix}/revoke` (RFC 7009).
 *
 * - The client authenticates as at the token endpoint (RFC 7009 §2.1); a public client identifies
 *   itself with `client_id` and may revoke its own tokens (that is how a SPA logs out).
 * - `token` is required; `token_type_hint` is optional and, because a token is found by its hash
 *   whatever its kind, only checked for repetition: an unknown hint is ignored, as §2.1 allows.
 * - A refresh token revokes its whole grant — the refresh family and the access tokens issued from
 *   it (§2.1 SHOULD); an access token is revoked alone, and the grant goes on.
 * - A refresh token revoked by its client also ends that client's authorization by the user, as the
 *   user's own disconnect on the connected-apps page does (§1: "and the authorization grant itself"):
 *   the remembered consent is withdrawn, so the next authorization shows the consent screen, and
 *   every other grant the client holds for that user (another device, another browser) is revoked
 *   with it. Consent is per (user, client) and the connected-apps list is built from it: a grant left
 *   alive after its consent was withdrawn would be a connection the user can no longer see or revoke.
 * - An unknown, already revoked or expired token, or one issued to another client, gets the same
 *   empty 200 and nothing changes (§2.2: the client could do nothing useful with an error, and a
 *   difference would tell one client whether another client's token exists). Another client's live
 *   token is also reported as a security event (ids and a hash prefix only).
 * - Revoked tokens are evicted from this instance's bearer cache at once.
 * - A JWT access token (RFC 9068) is verified as this server's, then: with `jwt.recordTokens`, its
 *   `jwt_access` row is revoked (same client rules as above), so `BearerGuard` refuses it; without,
 *   nothing records it, so nothing can stop it before `exp`: 400 `unsupported_token_type` (§2.2.1)
 *   says so, rather than a 200 the client would take for a revocation. A `jwt_access` row's own
 *   `jti` is not a bearer credential: presented as a token, it is unknown.
 * @publicApi
 */
export class TokenRevocation {
  constructor(private readonly deps: TokenRevocationDeps) {}

  /**
   * Handles one revocation request; never throws. Protocol errors come back as their RFC 6749 §5.2
   * response (RFC 7009 §2.2.1), anything unexpected as `server_error` or `temporarily_unavailable`.
   */
  handle(request: OAuthRequest): Promise<OAuthResponse> {
    return respondOrError(() => this.revoke(request), { realm: this.deps.options.realm, reportError: this.deps.reportError });
  }

  private async revoke(request: OAuthRequest): Promise<OAuthResponse> {
    requireFormBody(request, 'RFC 7009 section 2.1');
    const params = singleValuedParams(request.body, ['token', 'token_type_hint']);
    const { client } = await authenticateClient(request, this.deps.clients, this.deps.clock.now());
    if (params.token === undefined) throw new InvalidRequestError('The token parameter is required (RFC 7009 section 2.1)');

    const jwt = this.deps.jwt && (await readIssuedJwt(params.token, this.deps.jwt, this.deps.clock));
    if (jwt) {
      await this.revokeJwt(params.token, jwt, client.id);
      return { status: 200, headers: { ...NO_STORE_HEADERS } };
    }

    const hash = hashSecret(params.token);
    const found = await this.deps.tokens.findByHash(hash);
    // A JWT's record is revoked through the JWT; an initial access token is nobody's to revoke here.
    const token = found?.kind === 'access' || found?.kind === 'refresh' ? found : undefined;
    if (token && token.clientId !== client.id && !token.revokedAt) {
      this.deps.reportSecurityEvent?.(
        `${token.kind} token ${hashPrefix(hash)}… of client ${token.clientId} presented for revocation by client ${client.id}: refused, grant unchanged`,
      );
    }
    if (token && token.clientId === client.id && !token.revokedAt) {
      const now = this.deps.clock.now();
      if (token.kind === 'refresh') {
        // The client is done with this user: its grants for them end, this one's family included.
        if (token.userId !== null) await disconnectClient(this.deps, token.userId, client.id, now);
        else await revokeFamily(this.deps.tokens, this.deps.cache, token.grantId, now);
      } else {
        await this.deps.tokens.revoke(token.id, now);
        this.deps.cache.evictTokens([token.id]);
      }
    }
    return { status: 200, headers: { ...NO_STORE_HEADERS } };
  }

  /** Revokes a valid JWT access token of this server through its record; see the class comment. */
  private async revokeJwt(presented: string, claims: IssuedJwtClaims, clientId: string): Promise<void> {
    if (claims.client_id !== clientId) {
      this.deps.reportSecurityEvent?.(
        `JWT access token ${hashPrefix(hashSecret(presented))}… of client ${claims.client_id} presented for revocation by client ${clientId}: refused, grant unchanged`,
      );
      return;
    }
    const row = this.deps.jwt?.recordTokens ? await this.deps.tokens.findByHash(hashSecret(claims.jti)) : undefined;
    if (!row || row.kind !== 'jwt_access' || row.clientId !== clientId) {
      throw new UnsupportedTokenTypeError(
        this.deps.jwt?.recordTokens
          ? 'This JWT access token was issued before tokens were recorded and cannot be revoked: it stays valid until exp; revoke the refresh token to end the grant (RFC 7009 section 2.2.1)'
          : 'JWT access tokens are not recorded, so they cannot be revoked: one stays valid until exp; revoke the refresh token to end the grant (RFC 7009 section 2.2.1)',
      );
    }
    if (row.revokedAt) return;
    await this.deps.tokens.revoke(row.id, this.deps.clock.now());
    this.deps.cache.evictTokens([row.id]);
  }
}

/**
 * Endpoints defined on `application/x-www-form-urlencoded` bodies refuse any other declared type, so
 * a JSON body is told what is wrong instead of reading as "token missing".
 */
export function requireFormBody(request: OAuthRequest, rfc: string): void {
  const type = request.headers['content-type'];
  if (type === undefined) return;
  if (!isFormContentType(type)) {
    throw new InvalidRequestError(`The request body must be application/x-www-form-urlencoded (${rfc})`);
  }
}
