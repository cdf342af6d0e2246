import { AccessTokenVerifier } from './access-token-verifier';
import { BearerRequestError, BearerScopeError, BearerTokenError, MissingBearerTokenError, type ChallengeTarget } from './bearer-challenge';
import { extractBearerToken, type BearerRequest } from './bearer-credentials';
import { InvalidTokenError, type InsufficientScopeError } from './oauth.errors';
import { protectedResourceMetadataUrl, resourceScopes } from './protected-resource-metadata';
import type { ResourceAuthorization } from './resource-authorization';

/** What the resource server needs from the module options. */
export interface ResourceServerSettings {
  /** `realm` of every `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). */
  realm: string;
  /** Accept `?access_token=` (RFC 6750 §2.3). */
  allowQueryToken: boolean;
  /**
   * The audience a route accepts when it names none (RFC 8707): a token for another resource, or
   * for none, is refused. Undefined (no resources configured) checks no audience.
   */
  resource?: string;
  /** The authorization server's `offlineAccessScope`, if any: like `offline_access`, never hinted in a challenge. */
  refreshScope?: string | false;
}

/** What the resource server needs. @publicApi */
export interface ResourceServerDeps {
  settings: ResourceServerSettings;
  /** Turns a token into its authorization: this application's store, or the authorization server's introspection. */
  verifier: AccessTokenVerifier;
}

/**
 * Checks bearer access tokens (RFC 6750) for a protected resource: the framework-free core behind
 * `BearerGuard`. The token itself is checked by an `AccessTokenVerifier`; this class keeps the rest.
 *
 * - Extraction (RFC 6750 §2) and its `invalid_request` (400).
 * - Audience (RFC 8707 §2, as RFC 9068 §4 checks `aud`): when the route's resource is known, a
 *   token whose audience is another resource or none is refused with `invalid_token` (401), so a
 *   token obtained for one API cannot be replayed at another.
 * - Scopes: every scope the route lists is required (RFC 6750 §3.1 `insufficient_scope`, 403).
 * - Challenges: every `WWW-Authenticate: Bearer` names the realm and, when the resource is known,
 *   the URL of its metadata document as `resource_metadata` (RFC 9728 §5.1) and, on a 401, the
 *   scopes the route needs as `scope` (RFC 6750 §3; MCP 2025-11-25 Authorization asks for it so a
 *   client requests no more than that). A refresh-token scope (`offline_access`) is never hinted: it
 *   is no requirement of the resource.
 * @publicApi
 * @example
 * const auth = await resourceServer.authenticate({ method: 'GET', headers: { authorization: 'Bearer …' }, query: {}, body: {} });
 * resourceServer.assertScopes(auth, ['profile']);
 */
export class ResourceServer {
  /** The challenge target of each resource, built once: the hot path allocates nothing for it. */
  private readonly targets = new Map<string, ChallengeTarget>();

  constructor(private readonly deps: ResourceServerDeps) {}

  /** The audience routes accept when they name none, if any. */
  get resource(): string | undefined {
    return this.deps.settings.resource;
  }

  /**
   * Finds the request's token (RFC 6750 §2) and validates it for `resource` (default: the
   * settings' resource); throws the RFC 6750 error otherwise. `scopes` (the route's) are named in
   * the 401 challenge of a known resource.
   */
  async authenticate(
    request: BearerRequest,
    resource: string | undefined = this.deps.settings.resource,
    scopes: readonly string[] = [],
  ): Promise<ResourceAuthorization> {
    const target = this.challengeTarget(resource);
    const token = extractBearerToken(request, target, this.deps.settings.allowQueryToken);
    if (token === undefined) throw new MissingBearerTokenError(target, this.scopeHint(resource, scopes));
    return this.validate(token, resource, scopes);
  }

  /** Validates an access token value for `resource`; throws `invalid_token` (with its challenge) when it must be refused. */
  async validate(
    accessToken: string,
    resource: string | undefined = this.deps.settings.resource,
    scopes: readonly string[] = [],
  ): Promise<ResourceAuthorization> {
    let authorization: ResourceAuthorization;
    try {
      authorization = await this.deps.verifier.verify(accessToken);
    } catch (error) {
      if (error instanceof InvalidTokenError && !error.headers['WWW-Authenticate']) {
        throw new BearerTokenError(
          this.challengeTarget(resource),
          error.description ?? 'The access token is not valid',
          this.scopeHint(resource, scopes),
        );
      }
      throw error;
    }
    if (resource !== undefined && authorization.audience !== resource) {
      throw new BearerTokenError(
        this.challengeTarget(resource),
        'This access token is not for this resource',
        this.scopeHint(resource, scopes),
      );
    }
    return authorization;
  }

  /**
   * The RFC 6750 §3.1 `invalid_request`, with its challenge, for a request whose body could not be
   * read (too large, undecodable): on a protected resource it still names the realm and the error.
   */
  malformedRequest(description: string, status = 400, resource: string | undefined = this.deps.settings.resource): BearerRequestError {
    return new BearerRequestError(this.challengeTarget(resource), description, { status });
  }

  /**
   * A handler's own `insufficient_scope`, from a check finer than `@Scopes()` (per MCP tool, say),
   * with the challenge the guard sends for the token's resource: the realm, the scopes without refresh
   * scopes, and `resource_metadata` (RFC 6750 §3.1, RFC 9728 §5.1), so a client can step up.
   */
  scopeChallenge(error: InsufficientScopeError, authorization: ResourceAuthorization | undefined): BearerScopeError {
    const resource = authorization?.audience ?? undefined;
    const target = this.challengeTarget(this.deps.settings.resource === undefined ? undefined : resource);
    return new BearerScopeError(target, resourceScopes(error.requiredScopes, this.deps.settings.refreshScope), error.description);
  }

  /** Throws `insufficient_scope` (403) unless the authorization holds every one of `required`. */
  assertScopes(
    authorization: ResourceAuthorization,
    required: readonly string[],
    resource: string | undefined = this.deps.settings.resource,
  ): void {
    if (required.some((scope) => !authorization.scopes.includes(scope))) {
      throw new BearerScopeError(this.challengeTarget(resource), required);
    }
  }

  /**
   * The resource a route protects: its `@Resource()`, else the module's. Without a resource of its
   * own the module issues tokens with no audience (no `resources` configured), so no route has one
   * and nothing is checked, as in 0.1, whatever the route says.
   */
  resourceFor(declared: string | undefined): string | undefined {
    return this.deps.settings.resource === undefined ? undefined : (declared ?? this.deps.settings.resource);
  }

  /** What a challenge of a route names: the realm and its resource's metadata URL (RFC 9728 §5.1). */
  challengeFor(declared: string | undefined): ChallengeTarget {
    return this.challengeTarget(this.resourceFor(declared));
  }

  /**
   * The `scope` of a 401 challenge: only where the resource is known (the discovery of RFC 9728, which
   * the hint goes with), and without refresh-token scopes.
   */
  private scopeHint(resource: string | undefined, scopes: readonly string[]): readonly string[] | undefined {
    if (resource === undefined || !scopes.length) return undefined;
    return resourceScopes(scopes, this.deps.settings.refreshScope);
  }

  private challengeTarget(resource: string | undefined): ChallengeTarget {
    if (resource === undefined) return this.deps.settings.realm;
    let target = this.targets.get(resource);
    if (!target) {
      target = Object.freeze({ realm: this.deps.settings.realm, resourceMetadata: protectedResourceMetadataUrl(resource) });
      this.targets.set(resource, target);
    }
    return target;
  }
}
