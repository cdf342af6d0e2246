import type { ServerSettings } from '../server-settings';
import type { ConsentStore } from '../../stores/consent.store';
import type { OAuthClient, OAuthToken } from '../../stores/models';
import type { TokenStore } from '../../stores/token.store';
import type { Clock } from '../clock';
import type { TokenCache } from '../token-cache';
import { revokeFamily } from '../tokens/revoke-family';
import { InvalidGrantError, InvalidRequestError, InvalidScopeError } from '../oauth.errors';
import type { AuthenticatedClient } from '../protocol/client-authentication';
import { hashSecret } from '../protocol/credentials';
import type { RefreshSuccessors } from '../protocol/refresh-successor';
import { accessTokenTtlFor, grantAudience, resourceParams } from '../protocol/resource-targets';
import { formatScope, parseScope, scopesOutside } from '../protocol/scope';
import { singleValuedParams } from '../protocol/single-valued-params';
import { hashPrefix, type SecurityEventReporter } from '../security-events';
import type { Grant, TokenResponseBody } from './grant';
import type { MintedTokens, TokenIssuer } from '../tokens/token-issuer';
import type { IdTokenIssuer } from '../openid/id-token';

const REUSED = 'The refresh token was already used; every token of this grant is revoked';

/** What the refresh_token grant needs. @publicApi */
export interface RefreshTokenGrantDeps {
  options: ServerSettings;
  tokens: TokenStore;
  consents: ConsentStore;
  issuer: TokenIssuer;
  successors: RefreshSuccessors;
  clock: Clock;
  /** Evicts a family revoked on refresh token reuse from this instance at once. */
  cache?: TokenCache;
  /** Told about another client's refresh token presented here (ids and a hash prefix only). */
  reportSecurityEvent?: SecurityEventReporter;
  /** Signs ID tokens; present when OpenID Connect is on. */
  idTokens?: IdTokenIssuer;
}

/**
 * The refresh_token grant (RFC 6749 §6) with rotation (RFC 9700 §4.14.2):
 * - every use rotates: a new pair in the same family (`grantId`), `parentId` = the used token. The
 *   pair's values are derived from the used token under the server key (`RefreshSuccessors`), and
 *   one conditional UPDATE (`TokenStore.rotate`) picks the single rotation across instances;
 * - a rotated token presented again within `refreshTokenGracePeriod` seconds of its rotation, while
 *   its successor is unused, is a retry (a lost response, two tabs, a race lost to `rotate`): it gets
 *   the same successor pair again, recomputed and found by its hash — never a second branch;
 * - a rotated token presented after its successor was used, or after the grace period, is reuse —
 *   likely theft — and revokes the whole family, so the thief and the client collide;
 * - a retry whose successor this process cannot re-derive (another instance rotated it under another
 *   per-process key) is refused without revoking: nothing was branched, nothing proves theft;
 * - a token presented by another client is refused and changes nothing (§6 only asks to refuse it;
 *   revoking would let anyone who saw the token log its user out): a security event;
 * - no rotation passes the grant's absolute deadline (`refreshTokenAbsoluteTtl`): the renewed token's
 *   expiry is capped at it, and a refresh after it is `invalid_grant`;
 * - `scope` may narrow the access token, never widen it (§6); the new refresh token keeps the
 *   original scope so later refreshes may ask for it again;
 * - resource indicators (RFC 8707 §2.2): the refresh token carries every resource of the grant; at
 *   most one `resource`, among them, is the new access token's audience (without one, the grant's
 *   first), so a client holding a multi-resource grant gets a token per resource by refreshing with
 *   each. The access token keeps the (narrowed) scopes that go with its audience; the new refresh token
 *   keeps the grant's resources and scopes;
 * - OpenID Connect (Core §12.2): a refresh token that remembers a sign-in passes it to its successor,
 *   and while the scopes granted now include `openid` the response carries a new ID token about that
 *   sign-in — same `sub`, `aud` and `auth_time`, a new `iat`, no `nonce`. A retry gets one too, bound
 *   to the access token it hands back again.
 */
export class RefreshTokenGrant implements Grant {
  readonly grantType = 'refresh_token' as const;

  constructor(private readonly deps: RefreshTokenGrantDeps) {}

  async handle(body: Readonly<Record<string, unknown>>, { client }: AuthenticatedClient): Promise<TokenResponseBody> {
    const params = singleValuedParams(body, ['refresh_token', 'scope']);
    if (params.refresh_token === undefined) throw new InvalidRequestError('The refresh_token parameter is required');
    const resource = this.deps.issuer.resourceParam(resourceParams(body));
    const requested = parseScope(params.scope);
    const now = this.deps.clock.now();
    const hash = hashSecret(params.refresh_token);
    let token = await this.deps.tokens.findByHash(hash);
    if (!token || token.kind !== 'refresh') throw new InvalidGrantError('The refresh token is invalid');
    if (token.clientId !== client.id) {
      this.deps.reportSecurityEvent?.(
        `refresh token ${hashPrefix(hash)}… of client ${token.clientId} presented by client ${client.id}: refused, grant unchanged`,
      );
      throw new InvalidGrantError('The refresh token was issued to another client');
    }
    const wider = scopesOutside(requested, token.scopes);
    if (wider.length) throw new InvalidScopeError(`The scope may not exceed the original grant: ${wider.join(' ')} (RFC 6749 §6)`);
    const audience = grantAudience(resource, token.resources);
    const granted = requested.length ? requested : token.scopes;
    const scopes = this.deps.issuer.scopesFor(client, granted, audience);

    // Two rounds at most: a rotation lost to a concurrent request is re-read and judged as a retry.
    for (let round = 0; round < 2 && token; round++) {
      if (token.revokedAt) throw new InvalidGrantError('The refresh token has been revoked');
      if (token.expiresAt <= now) throw new InvalidGrantError('The refresh token has expired');
      if (token.rotatedAt === null) {
        const deadline = this.deps.issuer.grantDeadline(token.grantCreatedAt);
        if (deadline && deadline <= now) {
          throw new InvalidGrantError('The grant has reached its absolute lifetime; the user must authorize again');
        }
        const minted = await this.deps.issuer.mint({
          client,
          userId: token.userId,
          scopes,
          refreshScopes: token.scopes,
          audience,
          grantResources: token.resources,
          grantId: token.grantId,
          parentId: token.id,
          withRefresh: true,
          now,
          grantCreatedAt: token.grantCreatedAt,
          values: this.deps.successors.derive(params.refresh_token),
          openid: token.openid,
        });
        // Signed before the rotation is stored: a signing failure leaves the presented token unused.
        await this.addIdToken(minted.response, token, client, granted, now);
        if ((await this.deps.tokens.rotate(token.id, minted.tokens, now)) === 'rotated') return this.issued(token, minted, now);
        token = await this.deps.tokens.findByHash(hash);
        continue;
      }
      if (this.withinGracePeriod(token, now)) {
        const response = await this.retried(token, params.refresh_token, { audience, scopes, client }, now);
        return this.addIdToken(response, token, client, granted, now);
      }
      await revokeFamily(this.deps.tokens, this.deps.cache, token.grantId, now);
      throw new InvalidGrantError(REUSED);
    }
    throw new InvalidGrantError('The refresh token is invalid');
  }

  /**
   * A retry of the rotation of `parent` (rotated, within the grace period): the same successor pair,
   * if it is still the unused child of `parent`. Writes nothing unless it detects reuse.
   */
  private async retried(
    parent: OAuthToken,
    presented: string,
    wanted: { audience: string | undefined; scopes: string[]; client: OAuthClient },
    now: Date,
  ): Promise<TokenResponseBody> {
    const { audience } = wanted;
    const values = this.deps.successors.derive(presented);
    const [refresh, access] = await Promise.all([
      this.deps.tokens.findByHash(hashSecret(values.refresh)),
      this.deps.tokens.findByHash(hashSecret(values.access)),
    ]);
    if (!refresh || refresh.kind !== 'refresh' || refresh.parentId !== parent.id || (access && access.parentId !== parent.id)) {
      // Derived under another key (a per-process key on another instance), or from before this rule.
      throw new InvalidGrantError(
        'The refresh token was already rotated and its successor cannot be derived here: retry on the instance that rotated it or configure a shared secret',
      );
    }
    if (refresh.rotatedAt || refresh.revokedAt) {
      await revokeFamily(this.deps.tokens, this.deps.cache, parent.grantId, now);
      throw new InvalidGrantError(REUSED);
    }
    if (!access) return this.retriedUnrecordedJwt(parent, values, wanted, now);
    // One rotation has exactly one successor pair (derived from the presented token alone), and its
    // access token has the audience the first request asked for. Answering a retry that names another
    // resource with that pair would hand out a token for the wrong audience; minting a second pair
    // would branch the grant. So it is refused, and not as reuse: a client whose response was lost may
    // well change its mind about the resource, which proves no theft, so nothing is revoked. Retrying
    // with the first request's resource returns the pair; its refresh token then serves the other one.
    if ((access.resources[0] ?? undefined) !== audience) {
      throw new InvalidGrantError(
        `The refresh token was already rotated for ${access.resources.length ? `the resource ${JSON.stringify(access.resources[0])}` : 'no resource'}: retry with that resource to receive its successor, then refresh for another`,
      );
    }
    const accessToken =
      access.kind === 'jwt_access'
        ? await this.deps.issuer.signJwt(
            { ...wanted, userId: access.userId, scopes: access.scopes },
            values.access,
            access.createdAt,
            access.expiresAt,
          )
        : values.access;
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.ceil((access.expiresAt.getTime() - now.getTime()) / 1000)),
      refresh_token: values.refresh,
      scope: formatScope(access.scopes),
    };
  }

  /**
   * The retry of a rotation whose access token was a JWT that was not recorded: the same `jti`, issued
   * at the rotation, signed again. Nothing records which resource the lost response was for, so the
   * retry gets the resource it names now, as its successor refresh token could have obtained anyway.
   */
  private async retriedUnrecordedJwt(
    parent: OAuthToken,
    values: { access: string; refresh: string },
    wanted: { audience: string | undefined; scopes: string[]; client: OAuthClient },
    now: Date,
  ): Promise<TokenResponseBody> {
    if (!this.deps.issuer.isJwtAudience(wanted.audience) || !parent.rotatedAt) {
      throw new InvalidGrantError(
        'The refresh token was already rotated for a resource with JWT access tokens: retry with that resource to receive its successor, then refresh for another',
      );
    }
    const issuedAt = parent.rotatedAt;
    const expiresAt = new Date(issuedAt.getTime() + accessTokenTtlFor(wanted.audience, this.deps.options) * 1000);
    return {
      access_token: await this.deps.issuer.signJwt({ ...wanted, userId: parent.userId }, values.access, issuedAt, expiresAt),
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000)),
      refresh_token: values.refresh,
      scope: formatScope(wanted.scopes),
    };
  }

  /** Adds the ID token of OpenID Connect Core §12.2 when `token`'s grant is an OpenID Connect one. */
  private async addIdToken(
    response: TokenResponseBody,
    token: OAuthToken,
    client: OAuthClient,
    granted: readonly string[],
    now: Date,
  ): Promise<TokenResponseBody> {
    const idTokens = this.deps.idTokens;
    if (!idTokens?.applies(token.openid, granted) || token.userId === null) return response;
    response.id_token = await idTokens.sign({
      client,
      userId: token.userId,
      authentication: token.openid,
      scopes: granted,
      accessToken: response.access_token,
      now,
      withNonce: false,
    });
    return response;
  }

  private withinGracePeriod(token: OAuthToken, now: Date): boolean {
    const grace = this.deps.options.refreshTokenGracePeriod;
    return grace > 0 && token.rotatedAt !== null && now.getTime() - token.rotatedAt.getTime() <= grace * 1000;
  }

  private async issued(token: OAuthToken, minted: MintedTokens, now: Date): Promise<TokenResponseBody> {
    if (token.userId !== null) await this.deps.consents.touch(token.userId, token.clientId, now);
    return minted.response;
  }
}
