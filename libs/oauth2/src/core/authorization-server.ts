import { randomBytes } from 'node:crypto';
import type { ServerSettings } from './server-settings';
import type { ClientStore } from '../stores/client.store';
import type { CodeStore } from '../stores/code.store';
import type { ConsentStore } from '../stores/consent.store';
import type { TokenStore } from '../stores/token.store';
import { AuthorizeEndpoint } from './authorize/authorize-endpoint';
import { ConsentForm } from './authorize/consent-form';
import type { Clock } from './clock';
import type { TokenCache } from './token-cache';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant';
import { ClientCredentialsGrant } from './grants/client-credentials.grant';
import { RefreshTokenGrant } from './grants/refresh-token.grant';
import { TokenEndpoint } from './tokens/token-endpoint';
import { TokenIssuer } from './tokens/token-issuer';
import type { OAuthInteraction } from './oauth-interaction';
import type { OAuthRequest } from './oauth-request';
import type { OAuthResponse } from './oauth-response';
import { ConsentCsrf } from './protocol/csrf';
import { ClientRegistry } from './client-registry';
import { ClientIdMetadataResolver } from './client-metadata/client-id-metadata-resolver';
import { RefreshSuccessors } from './protocol/refresh-successor';
import type { SecurityEventReporter } from './security-events';
import type { SigningKeys } from './keys/signing-keys';
import type { ClaimsProvider } from './openid/claims-provider';
import { IdTokenIssuer } from './openid/id-token';

/** Everything the authorization server works with. */
export interface AuthorizationServerDeps {
  options: ServerSettings;
  clients: ClientStore;
  codes: CodeStore;
  tokens: TokenStore;
  consents: ConsentStore;
  clock: Clock;
  /** The host's login/consent integration; the authorization endpoint needs it, the token endpoint does not. */
  interaction?: OAuthInteraction;
  /** Receives unexpected errors (the client only ever sees a generic `server_error`). */
  reportError?: (error: unknown) => void;
  /** The bearer cache of this instance, so a family revoked here (code replay, refresh reuse) stops working at once. */
  cache?: TokenCache;
  /** Receives refused cross-client presentations of codes and refresh tokens (ids and hash prefixes only). */
  reportSecurityEvent?: SecurityEventReporter;
  /** The keys that sign JWT access tokens and ID tokens; required when a resource has `accessTokenFormat: 'jwt'` or OpenID Connect is on. */
  signingKeys?: SigningKeys;
  /** The host's claims about users, for ID tokens (OpenID Connect Core §5.1); optional. */
  claims?: ClaimsProvider;
}

/**
 * The authorization server (RFC 6749): the authorization endpoint with its consent step and the
 * token endpoint with the authorization_code, refresh_token and client_credentials grants.
 * Framework-free: it takes an `OAuthRequest` and returns an `OAuthResponse`, and never throws.
 * @publicApi
 * @example
 * const server = new AuthorizationServer({ options, clients, codes, tokens, consents, clock, interaction });
 * const response = await server.handleTokenRequest(request);
 */
export class AuthorizationServer {
  private readonly authorize: AuthorizeEndpoint;
  private readonly token: TokenEndpoint;

  constructor(deps: AuthorizationServerDeps) {
    const { options, clients, codes, tokens, consents, clock } = deps;
    // Without a configured secret the key lives and dies with the process (see `secret`): consent
    // pages and refresh retries then work only on the instance that made them.
    const key = options.secret ?? randomBytes(32);
    const csrf = new ConsentCsrf(key);
    // With Client ID Metadata Documents on, a URL client id is found through its document at both
    // endpoints that accept a new client (revocation and introspection find only stored clients).
    const documents = options.clientIdMetadataDocuments;
    const lookup = documents
      ? new ClientIdMetadataResolver({
          settings: documents,
          clients,
          clock,
          registry: new ClientRegistry({
            clients,
            clock,
            knownScopes: Object.keys(options.scopes),
            knownResources: Object.keys(options.resources),
          }),
        })
      : clients;
    this.authorize = new AuthorizeEndpoint({
      options,
      clients: lookup,
      codes,
      consents,
      clock,
      consentForm: new ConsentForm({ options, csrf, clock }),
      interaction: deps.interaction,
      reportError: deps.reportError,
      signingKeys: deps.signingKeys,
    });
    const issuer = new TokenIssuer(options, deps.signingKeys);
    const { cache, reportSecurityEvent } = deps;
    const idTokens = idTokenIssuer(deps);
    this.token = new TokenEndpoint({
      options,
      clients: lookup,
      clock,
      grants: [
        new AuthorizationCodeGrant({ codes, tokens, consents, issuer, clock, cache, reportSecurityEvent, idTokens }),
        new RefreshTokenGrant({
          options,
          tokens,
          consents,
          issuer,
          successors: new RefreshSuccessors(key),
          clock,
          cache,
          reportSecurityEvent,
          idTokens,
        }),
        new ClientCredentialsGrant({ options, tokens, issuer, clock }),
      ],
      reportError: deps.reportError,
    });
  }

  /** `GET {prefix}/auth` (RFC 6749 §4.1.1): log in, consent, or redirect with a code or an error. */
  handleAuthorizationRequest(req: OAuthRequest): Promise<OAuthResponse> {
    return this.authorize.handleRequest(req);
  }

  /** `POST {prefix}/auth`: the consent form's allow/deny decision. */
  handleConsentDecision(req: OAuthRequest): Promise<OAuthResponse> {
    return this.authorize.handleDecision(req);
  }

  /** `POST {prefix}/token` (RFC 6749 §3.2). */
  handleTokenRequest(req: OAuthRequest): Promise<OAuthResponse> {
    return this.token.handle(req);
  }
}

/** The ID token signer when OpenID Connect is on. */
function idTokenIssuer(deps: AuthorizationServerDeps): IdTokenIssuer | undefined {
  const settings = deps.options.openid;
  if (!settings) return undefined;
  return new IdTokenIssuer({ issuer: deps.options.issuer, settings, keys: deps.signingKeys, claims: deps.claims });
}
