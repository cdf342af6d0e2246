import type { OAuthRequest } from '../oauth-request';
import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import { InvalidClientError, InvalidRequestError } from '../oauth.errors';
import { ClientMetadataDocumentError } from '../client-metadata/document-fetcher';
import { isClientIdSyntax } from './client-id';
import { parseBasicCredentials } from './http-basic';
import { constantTimeEqual, hashSecret } from './credentials';
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

/**
 * `now` decides whether a previous secret is still in its overlap after a rotation: until
 * `previousSecretExpiresAt` (exclusive) either secret authenticates the client.
 */
export async function authenticateClient(
  request: OAuthRequest,
  clients: Pick<ClientStore, 'findById'>,
  now: Date,
): Promise<AuthenticatedClient> {
  const basic = parseBasicCredentials(request.headers.authorization);
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

  const client = isClientIdSyntax(id) ? await findClient(clients, id, Boolean(basic)) : undefined;
  if (!client) throw new InvalidClientError(FAILED, Boolean(basic));
  if (client.secretHash === null) {
    if (secret !== undefined && secret !== '') throw new InvalidClientError(FAILED, Boolean(basic));
    return { client, method: 'none' };
  }
  if (secret === undefined || !secretMatches(client, hashSecret(secret), now)) throw new InvalidClientError(FAILED, Boolean(basic));
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}

/** The client, or undefined; a client id URL whose metadata document cannot be used is `invalid_client`, saying why. */
async function findClient(clients: Pick<ClientStore, 'findById'>, id: string, basic: boolean): Promise<OAuthClient | undefined> {
  try {
    return await clients.findById(id);
  } catch (error) {
    if (!(error instanceof ClientMetadataDocumentError)) throw error;
    throw new InvalidClientError(`The client's metadata document cannot be used: ${error.message}`, basic);
  }
}

/** The current secret, or the previous one while its overlap lasts; both compared in constant time. */
function secretMatches(client: OAuthClient, presented: string, now: Date): boolean {
  const current = constantTimeEqual(presented, client.secretHash!);
  const { previousSecretHash, previousSecretExpiresAt } = client;
  const previous =
    previousSecretHash !== undefined &&
    previousSecretExpiresAt !== undefined &&
    now.getTime() < previousSecretExpiresAt.getTime() &&
    constantTimeEqual(presented, previousSecretHash);
  return current || previous;
}
