import type { ResolvedOAuthOptions } from '../../oauth-options';
import type { OAuthClient, OAuthToken } from '../../stores/models';
import { formatScope } from '../protocol/scope';
import { hashSecret, randomId, randomToken } from '../protocol/random-token';
import type { TokenResponseBody } from './grant';

/** What one issuance is for. */
export interface TokenIssue {
  client: OAuthClient;
  /** The resource owner; null for client_credentials. */
  userId: string | null;
  /** Scopes of the access token. */
  scopes: string[];
  /** Scopes of the refresh token, when one is issued (RFC 6749 §6: a rotated one keeps the original scope). */
  refreshScopes?: string[];
  /** The grant (refresh family) the tokens belong to. */
  grantId: string;
  /** The refresh token being rotated, or null for a first issuance. */
  parentId: string | null;
  withRefresh: boolean;
  now: Date;
}

/** The rows to store and the response to send. */
export interface MintedTokens {
  tokens: OAuthToken[];
  response: TokenResponseBody;
}

/**
 * Mints opaque access and refresh tokens (256-bit random values, stored only as SHA-256, RFC 6749
 * §10.3/§10.4) and decides who gets a refresh token. Minting writes nothing: the grant stores the
 * rows with `TokenStore.save` or inside a rotation, so a failed request stores nothing.
 */
export class TokenIssuer {
  constructor(private readonly options: ResolvedOAuthOptions) {}

  /**
   * A refresh token is issued only to a client allowed the refresh_token grant and, when
   * `offlineAccessScope` is set, only if that scope was granted.
   */
  mayRefresh(client: OAuthClient, scopes: readonly string[]): boolean {
    if (!client.grantTypes.includes('refresh_token')) return false;
    return this.options.offlineAccessScope === false || scopes.includes(this.options.offlineAccessScope);
  }

  /** New token values and their rows. */
  mint(issue: TokenIssue): MintedTokens {
    const access = randomToken();
    const tokens: OAuthToken[] = [this.row(issue, 'access', access, issue.scopes, this.options.accessTokenTtl)];
    const response: TokenResponseBody = {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.options.accessTokenTtl,
      scope: formatScope(issue.scopes),
    };
    if (issue.withRefresh) {
      const refresh = randomToken();
      tokens.push(this.row(issue, 'refresh', refresh, issue.refreshScopes ?? issue.scopes, this.options.refreshTokenTtl));
      response.refresh_token = refresh;
    }
    return { tokens, response };
  }

  private row(issue: TokenIssue, kind: OAuthToken['kind'], value: string, scopes: string[], ttl: number): OAuthToken {
    return {
      id: randomId(),
      tokenHash: hashSecret(value),
      kind,
      clientId: issue.client.id,
      userId: issue.userId,
      scopes: [...scopes],
      grantId: issue.grantId,
      parentId: issue.parentId,
      createdAt: issue.now,
      expiresAt: new Date(issue.now.getTime() + ttl * 1000),
      revokedAt: null,
      rotatedAt: null,
    };
  }
}
