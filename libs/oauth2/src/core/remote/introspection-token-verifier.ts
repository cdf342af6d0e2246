import { AccessTokenVerifier } from '../access-token-verifier';
import type { Clock } from '../clock';
import { InvalidTokenError, ServerError, TemporarilyUnavailableError } from '../oauth.errors';
import { hashSecret } from '../protocol/credentials';
import type { ResourceAuthorization } from '../resource-authorization';
import type { AuthorizationServerDiscovery } from './authorization-server-discovery';
import { AuthorizationServerUnavailable, fetchJson, type FetchFunction } from './http-json';
import type { IntrospectionCache } from './introspection-cache';

/** What the introspection-backed verifier needs. */
export interface IntrospectionTokenVerifierDeps {
  /** The resource this server protects: the `aud` a token must include (RFC 7662 §2.2, RFC 8707). */
  resource: string;
  /** This resource server's credentials as a client allowed to introspect (RFC 7662 §2.1). */
  clientId: string;
  clientSecret: string;
  discovery: AuthorizationServerDiscovery;
  cache: IntrospectionCache;
  clock: Clock;
  fetch: FetchFunction;
  timeoutMs: number;
  /** Where failures are told (never with the token). */
  report: (message: string) => void;
}

/**
 * Validates access tokens by asking the authorization server (RFC 7662), for a resource server on
 * another host than the authorization server's database.
 *
 * - `POST introspection_endpoint` with `token` and `token_type_hint=access_token` (§2.1), the
 *   client authenticated with HTTP Basic (RFC 6749 §2.3.1, id and secret form-urlencoded first).
 * - Refused with `invalid_token`: `active` not true (§2.2); no `token_type` of `Bearer` (this
 *   library's introspection gives refresh tokens none, and a refresh token is no access token);
 *   `exp` missing or past; an `aud` (string or list) without this resource. A token whose `aud`
 *   lists this resource is authorized with it as its `audience`.
 * - The authorization server unreachable, too slow or answering 5xx → 503 `temporarily_unavailable`;
 *   our credentials refused or an unreadable answer → 500 `server_error`. Both are reported, with
 *   the cause and never the token.
 * - Answers found active are cached (see `IntrospectionCache`); refusals and failures never are.
 */
export class IntrospectionTokenVerifier extends AccessTokenVerifier {
  private readonly authorization: string;

  constructor(private readonly deps: IntrospectionTokenVerifierDeps) {
    super();
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    this.authorization = `Basic ${Buffer.from(`${encode(deps.clientId)}:${encode(deps.clientSecret)}`).toString('base64')}`;
  }

  async verify(accessToken: string): Promise<ResourceAuthorization> {
    const key = hashSecret(accessToken);
    const cached = this.deps.cache.get(key, this.deps.clock.now().getTime());
    if (cached) return cached;
    const answer = await this.introspect(accessToken);
    const now = this.deps.clock.now().getTime();
    const authorization = this.toAuthorization(answer, now);
    this.deps.cache.set(key, authorization, now);
    return authorization;
  }

  private async introspect(accessToken: string): Promise<Record<string, unknown>> {
    try {
      const endpoint = await this.deps.discovery.introspectionEndpoint();
      const { status, body } = await fetchJson(
        this.deps.fetch,
        endpoint,
        {
          method: 'POST',
          headers: {
            Authorization: this.authorization,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' }).toString(),
        },
        this.deps.timeoutMs,
      );
      if (status !== 200)
        throw new Error(`the introspection endpoint answered ${status}${status === 401 ? ' (are clientId and clientSecret right?)' : ''}`);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Error('the introspection answer is not a JSON object');
      return body as Record<string, unknown>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.report(`Token introspection failed: ${message}`);
      if (error instanceof AuthorizationServerUnavailable) {
        throw new TemporarilyUnavailableError('The authorization server cannot be reached; retry shortly', 5, { cause: error });
      }
      throw new ServerError('The access token could not be checked', { cause: error });
    }
  }

  private toAuthorization(answer: Record<string, unknown>, now: number): ResourceAuthorization {
    if (answer.active !== true) throw new InvalidTokenError('The access token is not active');
    if (typeof answer.token_type !== 'string' || answer.token_type.toLowerCase() !== 'bearer') {
      throw new InvalidTokenError('This token is not an access token');
    }
    if (typeof answer.exp !== 'number' || !Number.isFinite(answer.exp)) {
      throw new InvalidTokenError('The authorization server did not say when this access token expires');
    }
    if (answer.exp * 1000 <= now) throw new InvalidTokenError('The access token expired');
    const audiences = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : [];
    const audience = audiences.includes(this.deps.resource)
      ? this.deps.resource
      : typeof audiences[0] === 'string'
        ? (audiences[0] as string)
        : null;
    return Object.freeze({
      clientId: typeof answer.client_id === 'string' ? answer.client_id : '',
      userId: typeof answer.sub === 'string' ? answer.sub : null,
      scopes: Object.freeze(typeof answer.scope === 'string' ? answer.scope.split(' ').filter(Boolean) : []),
      expiresAt: new Date(answer.exp * 1000),
      tokenId: typeof answer.jti === 'string' ? answer.jti : '',
      audience,
    });
  }
}
