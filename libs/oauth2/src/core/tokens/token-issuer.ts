import type { ServerSettings } from '../server-settings';
import type { OAuthClient, OAuthToken, OpenIdAuthentication } from '../../stores/models';
import {
  accessTokenTtlFor,
  assertAudienceUsable,
  audienceScopes,
  requestedResources,
  tokenResourceParam,
} from '../protocol/resource-targets';
import { formatScope } from '../protocol/scope';
import { hashSecret, randomId, randomToken } from '../protocol/credentials';
import type { SuccessorValues } from '../protocol/refresh-successor';
import type { TokenResponseBody } from '../grants/grant';
import { ACCESS_TOKEN_TYP, accessTokenClaims } from '../jwt/access-token-jwt';
import type { SigningKeys } from '../keys/signing-keys';

/** What one issuance is for. */
export interface TokenIssue {
  client: OAuthClient;
  /** The resource owner; null for client_credentials. */
  userId: string | null;
  /** Scopes of the access token. */
  scopes: string[];
  /** Scopes of the refresh token, when one is issued (RFC 6749 §6: a rotated one keeps the original scope). */
  refreshScopes?: string[];
  /** The access token's audience (RFC 8707), which also sets its lifetime; undefined = none. */
  audience?: string;
  /** Every resource of the grant, kept on the refresh token so it can mint a token for any of them. */
  grantResources?: string[];
  /** The grant (refresh family) the tokens belong to. */
  grantId: string;
  /** The refresh token being rotated, or null for a first issuance. */
  parentId: string | null;
  withRefresh: boolean;
  now: Date;
  /** When the grant was first issued, for the absolute refresh lifetime; a new grant when absent (`now`). */
  grantCreatedAt?: Date;
  /** The token values, when derived (a rotation's successor pair); random when absent. */
  values?: SuccessorValues;
  /**
   * The sign-in of an OpenID Connect grant, kept on the refresh token so a refresh can issue an ID
   * token about it (OpenID Connect Core §12.2). The `nonce` is dropped: it belongs to the code exchange.
   */
  openid?: OpenIdAuthentication | null;
}

/** The rows to store and the response to send. */
export interface MintedTokens {
  tokens: OAuthToken[];
  response: TokenResponseBody;
}

/**
 * Mints access and refresh tokens and decides who gets a refresh token. Opaque tokens are 256-bit
 * values, random or derived under the server key, stored only as SHA-256 (RFC 6749 §10.3/§10.4).
 * An access token for a resource with `accessTokenFormat: 'jwt'` is an RFC 9068 JWT signed with the
 * active key; its `jti` is the 256-bit value an opaque token would have had, so a rotation's retry
 * re-signs the same token. It is stored only when `jwt.recordTokens` is on, as a `jwt_access` row
 * whose id is the `jti`. Minting writes nothing: the grant stores the rows with `TokenStore.save` or
 * inside a rotation, so a failed request stores nothing. A refresh token never outlives its grant's
 * absolute deadline (`refreshTokenAbsoluteTtl` from the first issuance).
 */
export class TokenIssuer {
  constructor(
    private readonly options: ServerSettings,
    private readonly keys?: SigningKeys,
  ) {}

  /** Whether access tokens for `audience` are JWTs. */
  isJwtAudience(audience: string | undefined): boolean {
    return audience !== undefined && this.options.resources[audience]?.accessTokenFormat === 'jwt';
  }

  /**
   * A refresh token is issued only to a client allowed the refresh_token grant and, when
   * `offlineAccessScope` is set, only if that scope was granted.
   */
  mayRefresh(client: OAuthClient, scopes: readonly string[]): boolean {
    if (!client.grantTypes.includes('refresh_token')) return false;
    return this.options.offlineAccessScope === false || scopes.includes(this.options.offlineAccessScope);
  }

  /** The one `resource` of a token request, canonical, or undefined (`invalid_target` for a bad one, RFC 8707 §2.2). */
  resourceParam(values: readonly string[]): string | undefined {
    return tokenResourceParam(values, this.options);
  }

  /**
   * An access token's scopes for `audience` taken from a grant: the granted ones that are server-level
   * or the audience's own (`invalid_scope` when none is); all of them when there is no audience.
   * `invalid_target` when the audience is no longer configured or no longer allowed for the client.
   */
  scopesFor(client: OAuthClient, granted: readonly string[], audience: string | undefined): string[] {
    assertAudienceUsable(audience, client, this.options);
    return audienceScopes(granted, audience, this.options);
  }

  /** The audience of a request outside a grant (client_credentials): the named resource, else the defaults. */
  audienceFor(client: OAuthClient, named: string | undefined): string | undefined {
    return requestedResources(named === undefined ? [] : [named], client, this.options)[0];
  }

  /** New token values and their rows. */
  async mint(issue: TokenIssue): Promise<MintedTokens> {
    const access = issue.values?.access ?? randomToken();
    const ttl = accessTokenTtlFor(issue.audience, this.options);
    const audience = issue.audience === undefined ? [] : [issue.audience];
    const expiresAt = this.accessExpiry(issue, ttl);
    const tokens: OAuthToken[] = [];
    let accessToken = access;
    if (this.isJwtAudience(issue.audience)) {
      accessToken = await this.signJwt(issue, access, issue.now, expiresAt);
      if (this.options.jwt?.recordTokens)
        tokens.push({ ...this.row(issue, 'jwt_access', access, issue.scopes, audience, expiresAt), id: access });
    } else {
      tokens.push(this.row(issue, 'access', access, issue.scopes, audience, expiresAt));
    }
    const response: TokenResponseBody = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      scope: formatScope(issue.scopes),
    };
    if (issue.withRefresh) {
      const refresh = issue.values?.refresh ?? randomToken();
      const resources = issue.grantResources ?? audience;
      const row = this.row(issue, 'refresh', refresh, issue.refreshScopes ?? issue.scopes, resources, this.refreshExpiry(issue));
      if (issue.openid) row.openid = withoutNonce(issue.openid);
      tokens.push(row);
      response.refresh_token = refresh;
    }
    return { tokens, response };
  }

  /**
   * The JWT access token with `jti`, issued at `issuedAt` (RFC 9068 §2): also how a rotation's retry
   * hands back the token the lost response carried, with the same claims.
   */
  async signJwt(
    issue: Pick<TokenIssue, 'client' | 'userId' | 'scopes' | 'audience'>,
    jti: string,
    issuedAt: Date,
    expiresAt: Date,
  ): Promise<string> {
    const resource = issue.audience === undefined ? undefined : this.options.resources[issue.audience];
    if (!this.keys || !resource || issue.audience === undefined) throw new Error('JWT access tokens need signing keys and a JWT resource');
    const claims = accessTokenClaims({
      issuer: this.options.issuer,
      audience: issue.audience,
      clientId: issue.client.id,
      userId: issue.userId,
      scopes: issue.scopes,
      jti,
      issuedAt,
      expiresAt,
    });
    return this.keys.sign(resource.signingAlgorithm, { typ: ACCESS_TOKEN_TYP }, claims);
  }

  /**
   * When the grant can no longer be refreshed: `refreshTokenAbsoluteTtl` after its first issuance, or
   * undefined when unbounded (0).
   */
  grantDeadline(grantCreatedAt: Date): Date | undefined {
    const ttl = this.options.refreshTokenAbsoluteTtl;
    return ttl > 0 ? new Date(grantCreatedAt.getTime() + ttl * 1000) : undefined;
  }

  private accessExpiry(issue: TokenIssue, ttl: number): Date {
    return new Date(issue.now.getTime() + ttl * 1000);
  }

  private refreshExpiry(issue: TokenIssue): Date {
    const renewed = new Date(issue.now.getTime() + this.options.refreshTokenTtl * 1000);
    const deadline = this.grantDeadline(issue.grantCreatedAt ?? issue.now);
    return deadline && deadline < renewed ? deadline : renewed;
  }

  private row(
    issue: TokenIssue,
    kind: OAuthToken['kind'],
    value: string,
    scopes: string[],
    resources: string[],
    expiresAt: Date,
  ): OAuthToken {
    return {
      id: randomId(),
      tokenHash: hashSecret(value),
      kind,
      clientId: issue.client.id,
      userId: issue.userId,
      scopes: [...scopes],
      resources: [...resources],
      grantId: issue.grantId,
      parentId: issue.parentId,
      createdAt: issue.now,
      grantCreatedAt: issue.grantCreatedAt ?? issue.now,
      expiresAt,
      revokedAt: null,
      rotatedAt: null,
    };
  }
}

/** The sign-in a refresh token remembers: the code's, less the `nonce`, which only the code exchange returns. */
function withoutNonce(openid: OpenIdAuthentication): OpenIdAuthentication {
  const kept: OpenIdAuthentication = { authTime: openid.authTime };
  if (openid.acr !== undefined) kept.acr = openid.acr;
  if (openid.amr !== undefined) kept.amr = [...openid.amr];
  return kept;
}
