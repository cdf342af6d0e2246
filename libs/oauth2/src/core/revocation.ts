import type { ClientStore } from '../stores/client.store';
import type { ConsentStore } from '../stores/consent.store';
import type { TokenStore } from '../stores/token.store';
import type { Clock } from './clock';
import { toErrorResponse } from './error-response';
import { InvalidRequestError, OAuthError } from './oauth.errors';
import type { OAuthRequest } from './oauth-request';
import { NO_STORE_HEADERS, type OAuthResponse } from './oauth-response';
import { authenticateClient } from './protocol/client-authentication';
import { isFormContentType } from './protocol/form-content-type';
import { hashSecret } from './protocol/credentials';
import { singleValuedParams } from './protocol/single-valued-params';
import { hashPrefix, type SecurityEventReporter } from './security-events';
import type { TokenCache } from './token-cache';

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
 * @publicApi
 */
export class TokenRevocation {
  constructor(
    /** `realm` of the `WWW-Authenticate: Basic` challenge after a failed HTTP Basic authentication. */
    private readonly realm: string,
    private readonly clients: ClientStore,
    private readonly tokens: TokenStore,
    private readonly cache: TokenCache,
    private readonly clock: Clock,
    private readonly consents: ConsentStore,
    private readonly reportSecurityEvent?: SecurityEventReporter,
  ) {}

  /**
   * Handles one revocation request. Protocol errors come back as their RFC 6749 §5.2 response (RFC 7009
   * §2.2.1); anything unexpected is thrown for the endpoint's filter to log and answer.
   */
  async handle(request: OAuthRequest): Promise<OAuthResponse> {
    try {
      return await this.revoke(request);
    } catch (error) {
      if (error instanceof OAuthError) return toErrorResponse(error, this.realm);
      throw error;
    }
  }

  private async revoke(request: OAuthRequest): Promise<OAuthResponse> {
    requireFormBody(request, 'RFC 7009 section 2.1');
    const params = singleValuedParams(request.body, ['token', 'token_type_hint']);
    const { client } = await authenticateClient(request, this.clients);
    if (params.token === undefined) throw new InvalidRequestError('The token parameter is required (RFC 7009 section 2.1)');

    const hash = hashSecret(params.token);
    const token = await this.tokens.findByHash(hash);
    if (token && token.clientId !== client.id && !token.revokedAt) {
      this.reportSecurityEvent?.(
        `${token.kind} token ${hashPrefix(hash)}… of client ${token.clientId} presented for revocation by client ${client.id}: refused, grant unchanged`,
      );
    }
    if (token && token.clientId === client.id && !token.revokedAt) {
      const now = this.clock.now();
      if (token.kind === 'refresh') {
        const revoked = await this.tokens.revokeGrant(token.grantId, now);
        this.cache.evictGrant(token.grantId);
        this.cache.evictTokens(revoked);
        if (token.userId !== null) await this.disconnect(token.userId, client.id, now);
      } else {
        await this.tokens.revoke(token.id, now);
        this.cache.evictTokens([token.id]);
      }
    }
    return { status: 200, headers: { ...NO_STORE_HEADERS } };
  }

  /**
   * The client is done with this user: its other grants for them end and the consent goes. Tokens
   * first, as `ConnectedApps.revoke` does: should the consent delete fail, the client is already cut
   * off and the user can still see and revoke it.
   */
  private async disconnect(userId: string, clientId: string, now: Date): Promise<void> {
    this.cache.evictTokens(await this.tokens.revokeForUserAndClient(userId, clientId, now));
    await this.consents.revoke(userId, clientId);
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
