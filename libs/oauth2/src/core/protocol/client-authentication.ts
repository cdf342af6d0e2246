import type { OAuthRequest } from '../oauth-request';
import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import { InvalidClientError, InvalidRequestError } from '../oauth.errors';
import { isClientIdSyntax } from './client-id';
import { constantTimeEqual, hashSecret } from './random-token';
import { singleValuedParams } from './single-valued-params';

/**
 * Client authentication at the token, revocation and introspection endpoints:
 * - `client_secret_basic`: `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1);
 * - `client_secret_post`: `client_id` + `client_secret` in the form body;
 * - `none`: a public client sends only `client_id` (RFC 6749 §2.1, with PKCE).
 * A request must not use more than one method (RFC 6749 §2.3). Every failure is `invalid_client`
 * (401), with the same description whether the id or the secret was wrong, so ids cannot be probed.
 */
export interface AuthenticatedClient {
  client: OAuthClient;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

const FAILED = 'Client authentication failed';

export async function authenticateClient(request: OAuthRequest, clients: ClientStore): Promise<AuthenticatedClient> {
  const basic = parseBasic(request.headers.authorization);
  const body = singleValuedParams(request.body, ['client_id', 'client_secret']);
  if (basic && body.client_secret !== undefined) {
    throw new InvalidRequestError('Use one client authentication method, not both HTTP Basic and client_secret (RFC 6749 §2.3)');
  }
  if (basic && body.client_id !== undefined && body.client_id !== basic.id) {
    throw new InvalidRequestError('The client_id in the body differs from the one in the Authorization header');
  }
  const id = basic?.id ?? body.client_id;
  const secret = basic ? basic.secret : body.client_secret;
  if (id === undefined) throw new InvalidClientError('Client authentication is required (HTTP Basic or client_id)', false);

  const client = isClientIdSyntax(id) ? await clients.findById(id) : undefined;
  if (!client) throw new InvalidClientError(FAILED, Boolean(basic));
  if (client.secretHash === null) {
    if (secret !== undefined && secret !== '') throw new InvalidClientError(FAILED, Boolean(basic));
    return { client, method: 'none' };
  }
  if (secret === undefined || !constantTimeEqual(hashSecret(secret), client.secretHash)) {
    throw new InvalidClientError(FAILED, Boolean(basic));
  }
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}

/** Decodes an HTTP Basic header per RFC 6749 §2.3.1 (both parts form-urlencoded), or undefined when absent. */
function parseBasic(header: string | string[] | undefined): { id: string; secret: string } | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new InvalidRequestError('Only one Authorization header is allowed');
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match) {
    if (/^Basic\b/i.test(header)) throw new InvalidClientError('Malformed HTTP Basic credentials', true);
    return undefined; // another scheme: not client authentication
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientError('Malformed HTTP Basic credentials', true);
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClientError('Malformed HTTP Basic credentials', true);
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
