import type { ServerSettings } from '../server-settings';
import type { TokenStore } from '../../stores/token.store';
import type { Clock } from '../clock';
import { UnauthorizedClientError } from '../oauth.errors';
import type { AuthenticatedClient } from '../protocol/client-authentication';
import { randomId } from '../protocol/credentials';
import { resourceParams, scopesFittingResources } from '../protocol/resource-targets';
import { grantableScopes, parseScope } from '../protocol/scope';
import { singleValuedParams } from '../protocol/single-valued-params';
import type { Grant, TokenResponseBody } from './grant';
import type { TokenIssuer } from '../tokens/token-issuer';

/** What the client_credentials grant needs. @publicApi */
export interface ClientCredentialsGrantDeps {
  options: ServerSettings;
  tokens: TokenStore;
  issuer: TokenIssuer;
  clock: Clock;
}

/**
 * The client_credentials grant (RFC 6749 §4.4): a confidential client acting for itself.
 * - only confidential clients (§4.4: "MUST only be used by confidential clients");
 * - scope ⊆ the client's scopes, defaulting like the authorization endpoint;
 * - no refresh token (§4.4.3) and no user;
 * - resource indicators (RFC 8707 §2.2): at most one `resource`, configured and allowed for the
 *   client; without one, the client's default, else the server's, else `invalid_target` when
 *   resources are configured. Each requested scope must be server-level or the audience's own.
 */
export class ClientCredentialsGrant implements Grant {
  readonly grantType = 'client_credentials' as const;

  constructor(private readonly deps: ClientCredentialsGrantDeps) {}

  async handle(body: Readonly<Record<string, unknown>>, { client, method }: AuthenticatedClient): Promise<TokenResponseBody> {
    if (method === 'none') throw new UnauthorizedClientError('A public client cannot use the client_credentials grant');
    const { scope } = singleValuedParams(body, ['scope']);
    const resource = this.deps.issuer.resourceParam(resourceParams(body));
    const requested = parseScope(scope);
    const granted = grantableScopes(requested, client.scopes, Object.keys(this.deps.options.scopes), this.deps.options.defaultScopes);
    const audience = this.deps.issuer.audienceFor(client, resource);
    const scopes = scopesFittingResources(granted, requested.length > 0, audience === undefined ? [] : [audience], this.deps.options);
    const now = this.deps.clock.now();
    const minted = await this.deps.issuer.mint({
      client,
      userId: null,
      scopes,
      audience,
      grantId: randomId(),
      parentId: null,
      withRefresh: false,
      now,
    });
    await this.deps.tokens.save(minted.tokens);
    return minted.response;
  }
}
