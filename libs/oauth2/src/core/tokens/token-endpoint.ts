import type { ClientStore } from '../../stores/client.store';
import type { Clock } from '../clock';
import { respondOrError } from '../error-response';
import type { ServerSettings } from '../server-settings';
import type { OAuthRequest } from '../oauth-request';
import { jsonResponse, type OAuthResponse } from '../oauth-response';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '../oauth.errors';
import { authenticateClient } from '../protocol/client-authentication';
import { isFormContentType } from '../protocol/form-content-type';
import { assertSecureTransport } from '../protocol/https-requirement';
import { singleValuedParams } from '../protocol/single-valued-params';
import type { Grant } from '../grants/grant';
import { noteClientUse } from '../registration/client-usage';

/** What the token endpoint needs. @publicApi */
export interface TokenEndpointDeps {
  /** `realm` names the `WWW-Authenticate: Basic` challenge after a failed HTTP Basic authentication. */
  options: Pick<ServerSettings, 'requireHttps' | 'realm'>;
  /** Where clients are found: the `ClientStore`, or a `ClientIdMetadataResolver` in front of it. */
  clients: Pick<ClientStore, 'findById' | 'markUsed'>;
  /** Decides whether a previous client secret is still in its overlap; the system clock when left out. */
  clock?: Clock;
  grants: readonly Grant[];
  /** Told about unexpected errors (the client sees only a generic `server_error`). */
  reportError?: (error: unknown) => void;
}

/**
 * The token endpoint (RFC 6749 §3.2, §5): a form-encoded POST; checks the grant type, authenticates
 * the client (§2.3), checks the client may use the grant (§5.2 `unauthorized_client`), then hands
 * over to the grant. Every response, success or error, carries `Cache-Control: no-store` (§5.1).
 */
export class TokenEndpoint {
  private readonly grants: ReadonlyMap<string, Grant>;

  constructor(private readonly deps: TokenEndpointDeps) {
    this.grants = new Map(deps.grants.map((g) => [g.grantType, g]));
  }

  /** Answer one token request; never throws. */
  handle(req: OAuthRequest): Promise<OAuthResponse> {
    return respondOrError(async () => jsonResponse(200, await this.exchange(req)), {
      realm: this.deps.options.realm,
      reportError: this.deps.reportError,
    });
  }

  private async exchange(req: OAuthRequest): Promise<unknown> {
    assertSecureTransport(req, this.deps.options.requireHttps);
    if (!isFormContentType(req.headers['content-type'])) {
      throw new InvalidRequestError('The token request must be application/x-www-form-urlencoded (RFC 6749 §3.2)');
    }
    const { grant_type: grantType } = singleValuedParams(req.body, ['grant_type']);
    if (grantType === undefined) throw new InvalidRequestError('The grant_type parameter is required');
    const grant = this.grants.get(grantType);
    if (!grant) throw new UnsupportedGrantTypeError(`The grant type "${grantType}" is not supported`);
    const now = this.deps.clock?.now() ?? new Date();
    const authenticated = await authenticateClient(req, this.deps.clients, now);
    if (!authenticated.client.grantTypes.includes(grant.grantType)) {
      throw new UnauthorizedClientError(`This client may not use the ${grant.grantType} grant`);
    }
    const issued = await grant.handle(req.body, authenticated);
    const marking = noteClientUse(this.deps.clients, authenticated.client, now, this.deps.reportError);
    if (marking) await marking;
    return issued;
  }
}
