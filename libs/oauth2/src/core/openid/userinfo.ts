/**
 * The UserInfo endpoint (OpenID Connect Core §5.3), `GET` and `POST {prefix}/userinfo`:
 * - the access token travels as RFC 6750 §2 allows: the Authorization header, or on POST the
 *   `access_token` form parameter (§5.3.1), or the query when the server accepts query tokens;
 * - it must be an access token of this server (opaque or JWT, checked as `BearerGuard` checks it),
 *   granted the `openid` scope (else 403 `insufficient_scope`), issued for a user;
 * - its audience must be none or this server's own resource (`resource`, else `defaultResource`):
 *   UserInfo belongs to the authorization server, so a token minted for another API is refused with
 *   `invalid_token` ("not for UserInfo") rather than accepted anywhere (RFC 8707 §2, RFC 9068 §4);
 * - the response is `sub` — the subject the ID token of the same client names (§5.3.2) — plus the
 *   host's claims the token's scopes release (§5.4); a user the host no longer knows is 401
 *   `invalid_token`;
 * - errors are RFC 6750 §3 challenges (`WWW-Authenticate: Bearer`); every answer is `no-store`.
 * With OpenID Connect off the endpoint does not exist: 404.
 */
import type { ClientStore } from '../../stores/client.store';
import type { AccessTokenVerifier } from '../access-token-verifier';
import { BearerScopeError, BearerTokenError, MissingBearerTokenError } from '../bearer-challenge';
import { extractBearerToken, type BearerRequest } from '../bearer-credentials';
import { respondOrError } from '../error-response';
import { InvalidTokenError } from '../oauth.errors';
import type { ResourceAuthorization } from '../resource-authorization';
import { jsonResponse, type OAuthResponse } from '../oauth-response';
import type { OAuthRequest } from '../oauth-request';
import { assertSecureTransport } from '../protocol/https-requirement';
import type { ServerSettings } from '../server-settings';
import type { ClaimsProvider } from './claims-provider';
import { OPENID_SCOPE } from './openid-settings';
import { releasedClaims } from './released-claims';
import { subjectFor } from './subject';

/** What the UserInfo endpoint needs. */
export interface UserInfoEndpointDeps {
  options: Pick<ServerSettings, 'issuer' | 'realm' | 'requireHttps' | 'resource' | 'defaultResource' | 'openid'>;
  /** Accept `?access_token=` (RFC 6750 §2.3), as the server's bearer settings say. */
  allowQueryToken: boolean;
  /** The verifier `BearerGuard` uses: this server's opaque and JWT access tokens. */
  verifier: AccessTokenVerifier;
  clients: ClientStore;
  claims?: ClaimsProvider;
  reportError?: (error: unknown) => void;
}

/** Serves UserInfo requests. */
export class UserInfoEndpoint {
  private readonly audiences: ReadonlySet<string | null>;

  constructor(private readonly deps: UserInfoEndpointDeps) {
    const { resource, defaultResource } = deps.options;
    this.audiences = new Set([null, resource ?? null, defaultResource ?? null]);
  }

  handle(req: OAuthRequest): Promise<OAuthResponse> {
    const { options } = this.deps;
    const settings = options.openid;
    if (!settings) {
      return Promise.resolve(jsonResponse(404, { error: 'not_found', error_description: 'OpenID Connect is not enabled on this server' }));
    }
    return respondOrError(
      async () => {
        assertSecureTransport(req, options.requireHttps);
        const realm = options.realm;
        const token = extractBearerToken(req as BearerRequest, realm, this.deps.allowQueryToken);
        if (token === undefined) throw new MissingBearerTokenError(realm);
        const authorization = await this.verify(token);
        if (!this.audiences.has(authorization.audience)) {
          throw new BearerTokenError(realm, 'This access token is not for UserInfo: it was issued for another resource');
        }
        if (!authorization.scopes.includes(OPENID_SCOPE)) {
          throw new BearerScopeError(realm, [OPENID_SCOPE], 'UserInfo needs an access token granted the openid scope');
        }
        const userId = authorization.userId;
        if (userId === null) throw new BearerTokenError(realm, 'This access token was not issued for a user');
        const client = await this.deps.clients.findById(authorization.clientId);
        if (!client) throw new BearerTokenError(realm, 'The client of this access token no longer exists');
        const claims = await releasedClaims(this.deps.claims, userId, authorization.scopes, client, settings);
        if (claims === undefined) throw new BearerTokenError(realm, 'The user of this access token no longer exists');
        return jsonResponse(200, { ...claims, sub: subjectFor(client, userId, settings.pairwiseSalt) });
      },
      { realm: options.realm, reportError: this.deps.reportError },
    );
  }

  /** The verifier's answer, with its `invalid_token` carrying a Bearer challenge (RFC 6750 §3). */
  private async verify(token: string): Promise<ResourceAuthorization> {
    try {
      return await this.deps.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenError) || error.headers['WWW-Authenticate']) throw error;
      throw new BearerTokenError(this.deps.options.realm, error.description ?? 'The access token is not valid');
    }
  }
}
