import type { ResolvedOAuthOptions } from '../../oauth-options';
import type { ConsentStore } from '../../stores/consent.store';
import type { OAuthToken } from '../../stores/models';
import type { TokenStore } from '../../stores/token.store';
import type { Clock } from '../clock';
import type { TokenCache } from '../token-cache';
import { revokeFamily } from './revoke-family';
import { InvalidGrantError, InvalidRequestError, InvalidScopeError } from '../oauth.errors';
import type { AuthenticatedClient } from '../protocol/client-authentication';
import { hashSecret } from '../protocol/random-token';
import { parseScope, scopesOutside } from '../protocol/scope';
import { singleValuedParams } from '../protocol/single-valued-params';
import type { Grant, TokenResponseBody } from './grant';
import type { MintedTokens, TokenIssuer } from './token-issuer';

/**
 * The refresh_token grant (RFC 6749 §6) with rotation (RFC 9700 §4.14.2):
 * - every use rotates: a new pair in the same family (`grantId`), `parentId` = the used token;
 * - a rotated token presented again is reuse — likely theft — and revokes the whole family, unless
 *   the same client presents it within `refreshTokenGracePeriod` seconds of the rotation: then it is
 *   a retry after a lost response (or two tabs refreshing at once), answered with a fresh pair while
 *   the unused pair of the first rotation is revoked (`TokenStore.replaceRotation`);
 * - a token presented by another client also revokes the family;
 * - `scope` may narrow the access token, never widen it (§6); the new refresh token keeps the
 *   original scope so later refreshes may ask for it again.
 */
export class RefreshTokenGrant implements Grant {
  readonly grantType = 'refresh_token' as const;

  constructor(
    private readonly options: ResolvedOAuthOptions,
    private readonly tokens: TokenStore,
    private readonly consents: ConsentStore,
    private readonly issuer: TokenIssuer,
    private readonly clock: Clock,
    private readonly cache?: TokenCache,
  ) {}

  async handle(body: Readonly<Record<string, unknown>>, { client }: AuthenticatedClient): Promise<TokenResponseBody> {
    const params = singleValuedParams(body, ['refresh_token', 'scope']);
    if (params.refresh_token === undefined) throw new InvalidRequestError('The refresh_token parameter is required');
    const requested = parseScope(params.scope);
    const now = this.clock.now();
    const hash = hashSecret(params.refresh_token);
    let token = await this.tokens.findByHash(hash);
    if (!token || token.kind !== 'refresh') throw new InvalidGrantError('The refresh token is invalid');
    if (token.clientId !== client.id) {
      await revokeFamily(this.tokens, this.cache, token.grantId, now);
      throw new InvalidGrantError('The refresh token was issued to another client');
    }
    const wider = scopesOutside(requested, token.scopes);
    if (wider.length) throw new InvalidScopeError(`The scope may not exceed the original grant: ${wider.join(' ')} (RFC 6749 §6)`);
    const scopes = requested.length ? requested : token.scopes;

    // Two rounds at most: a rotation lost to a concurrent request is re-read and judged as a retry.
    for (let round = 0; round < 2 && token; round++) {
      if (token.revokedAt) throw new InvalidGrantError('The refresh token has been revoked');
      if (token.expiresAt <= now) throw new InvalidGrantError('The refresh token has expired');
      const minted = this.issuer.mint({
        client,
        userId: token.userId,
        scopes,
        refreshScopes: token.scopes,
        grantId: token.grantId,
        parentId: token.id,
        withRefresh: true,
        now,
      });
      if (token.rotatedAt === null) {
        if ((await this.tokens.rotate(token.id, minted.tokens, now)) === 'rotated') return this.issued(token, minted, now);
        token = await this.tokens.findByHash(hash);
        continue;
      }
      if (this.withinGracePeriod(token, now) && (await this.tokens.replaceRotation(token.id, minted.tokens, now))) {
        this.cache?.evictGrant(token.grantId); // the replaced pair's access token may be cached
        return this.issued(token, minted, now);
      }
      await revokeFamily(this.tokens, this.cache, token.grantId, now);
      throw new InvalidGrantError('The refresh token was already used; every token of this grant is revoked');
    }
    throw new InvalidGrantError('The refresh token is invalid');
  }

  private withinGracePeriod(token: OAuthToken, now: Date): boolean {
    const grace = this.options.refreshTokenGracePeriod;
    return grace > 0 && token.rotatedAt !== null && now.getTime() - token.rotatedAt.getTime() <= grace * 1000;
  }

  private async issued(token: OAuthToken, minted: MintedTokens, now: Date): Promise<TokenResponseBody> {
    if (token.userId !== null) await this.consents.touch(token.userId, token.clientId, now);
    return minted.response;
  }
}
