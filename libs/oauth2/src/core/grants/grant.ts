import type { GrantType } from '../../stores/models';
import type { AuthenticatedClient } from '../protocol/client-authentication';

/** The successful token response (RFC 6749 §5.1). */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  /** Always sent, so the client never has to guess what it was granted (RFC 6749 §5.1 allows it). */
  scope: string;
  /** OpenID Connect Core §3.1.3.3: the ID token, when the grant is an OpenID Connect one. */
  id_token?: string;
}

/** One grant type of the token endpoint (RFC 6749 §4.1.3, §4.4.2, §6). */
export interface Grant {
  readonly grantType: GrantType;
  /**
   * Handle a token request whose client is authenticated and allowed this grant. `params` is the
   * form body; throws an `OAuthError` (never writes anything on failure except revocations).
   */
  handle(params: Readonly<Record<string, unknown>>, authenticated: AuthenticatedClient): Promise<TokenResponseBody>;
}
