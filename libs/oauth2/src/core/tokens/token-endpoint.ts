import type { ClientStore } from '../../stores/client.store';
import { toErrorResponse } from '../error-response';
import type { OAuthRequest } from '../oauth-request';
import { jsonResponse, type OAuthResponse } from '../oauth-response';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '../oauth.errors';
import { authenticateClient } from '../protocol/client-authentication';
import { isFormContentType } from '../protocol/form-content-type';
import { assertSecureTransport } from '../protocol/https-requirement';
import { singleValuedParams } from '../protocol/single-valued-params';
import type { Grant } from '../grants/grant';

/**
 * The token endpoint (RFC 6749 §3.2, §5): a form-encoded POST; checks the grant type, authenticates
 * the client (§2.3), checks the client may use the grant (§5.2 `unauthorized_client`), then hands
 * over to the grant. Every response, success or error, carries `Cache-Control: no-store` (§5.1).
 */
export class TokenEndpoint {
  private readonly grants: ReadonlyMap<string, Grant>;

  constructor(
    private readonly clients: ClientStore,
    grants: readonly Grant[],
    private readonly settings: { requireHttps: boolean; realm: string; reportError?: (error: unknown) => void },
  ) {
    this.grants = new Map(grants.map((g) => [g.grantType, g]));
  }

  /** Answer one token request; never throws. */
  async handle(req: OAuthRequest): Promise<OAuthResponse> {
    try {
      return jsonResponse(200, await this.exchange(req));
    } catch (error) {
      const response = toErrorResponse(error, this.settings.realm);
      if (response.status >= 500) this.settings.reportError?.(error);
      return response;
    }
  }

  private async exchange(req: OAuthRequest): Promise<unknown> {
    assertSecureTransport(req, this.settings.requireHttps);
    if (!isFormContentType(req.headers['content-type'])) {
      throw new InvalidRequestError('The token request must be application/x-www-form-urlencoded (RFC 6749 §3.2)');
    }
    const { grant_type: grantType } = singleValuedParams(req.body, ['grant_type']);
    if (grantType === undefined) throw new InvalidRequestError('The grant_type parameter is required');
    const grant = this.grants.get(grantType);
    if (!grant) throw new UnsupportedGrantTypeError(`The grant type "${grantType}" is not supported`);
    const authenticated = await authenticateClient(req, this.clients);
    if (!authenticated.client.grantTypes.includes(grant.grantType)) {
      throw new UnauthorizedClientError(`This client may not use the ${grant.grantType} grant`);
    }
    return grant.handle(req.body, authenticated);
  }
}
