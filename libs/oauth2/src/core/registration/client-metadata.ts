/**
 * Client metadata (RFC 7591 §2) on the wire, for dynamic registration and its management (RFC 7592).
 * - Each known field is type-checked here and checked against the registration policy (grant types,
 *   authentication methods, scopes); everything else a client may be is decided by `ClientRegistry`,
 *   the one set of rules every client passes however it arrives.
 * - Unknown fields are ignored (RFC 7591 §2: "MUST ignore any client metadata … it does not
 *   understand") and not echoed back: a response lists what was registered (§3.2.1).
 * - `response_types` must be `code` only and agree with `grant_types` (§2.1); `private_key_jwt`,
 *   `jwks` and `jwks_uri` are not supported, so such an authentication method is refused.
 * - With OpenID Connect on, the metadata of OpenID Connect Registration §2 and RP-Initiated Logout
 *   §3.1 (`id_token_signed_response_alg`, `subject_type`, `sector_identifier_uri`,
 *   `post_logout_redirect_uris`) is read and echoed; with it off the server does not understand
 *   them, so they are ignored and not echoed, as any unknown field (RFC 7591 §2, §3.2.1).
 */
import type { ClientRegistration, ClientUpdate } from '../client-registry';
import type { ApplicationType, GrantType, OAuthClient, SigningAlgorithm, SubjectType } from '../../stores/models';
import { InvalidClientMetadataError } from '../oauth.errors';
import { TOKEN_ENDPOINT_AUTH_METHODS, type RegistrationSettings, type TokenEndpointAuthMethod } from './registration-settings';

/** The name a client gets when its request has no `client_name`. */
export const UNNAMED_CLIENT = 'Unnamed application';

/** Registration metadata read from a request, before the registry's rules. */
export interface RequestedMetadata {
  /** What `ClientRegistry` registers (or, for an update, every field it replaces). */
  fields: Required<Pick<ClientRegistration, 'name' | 'redirectUris' | 'grantTypes' | 'scopes'>> &
    Pick<ClientRegistration, 'applicationType' | 'logoUri' | 'clientUri' | 'softwareId' | 'softwareVersion'> &
    Required<Pick<ClientRegistration, 'idTokenSignedResponseAlg' | 'subjectType' | 'sectorIdentifierUri' | 'postLogoutRedirectUris'>>;
  /** `none` for a public client, else a secret method. */
  authMethod: TokenEndpointAuthMethod;
}

/**
 * Read the metadata of a registration (RFC 7591 §2) or of an update (RFC 7592 §2.2, where an omitted
 * field takes its default, as at registration). `openIdOn`: whether the server has OpenID Connect on.
 * Throws `InvalidClientMetadataError` naming the field.
 */
export function readClientMetadata(body: Record<string, unknown>, policy: RegistrationSettings, openIdOn = false): RequestedMetadata {
  const authMethod = optionalString(body, 'token_endpoint_auth_method') ?? 'client_secret_basic';
  if (!(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(authMethod)) {
    throw new InvalidClientMetadataError(
      `token_endpoint_auth_method "${authMethod}" is not supported (use ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')})`,
    );
  }
  if (!policy.tokenEndpointAuthMethods.includes(authMethod as TokenEndpointAuthMethod)) {
    throw new InvalidClientMetadataError(
      `token_endpoint_auth_method "${authMethod}" is not allowed here (allowed: ${policy.tokenEndpointAuthMethods.join(', ')})`,
    );
  }
  const redirectUris = optionalStringList(body, 'redirect_uris') ?? [];
  const requestedGrants = optionalStringList(body, 'grant_types');
  const grantTypes = (requestedGrants ?? defaultGrants(policy, authMethod)) as GrantType[];
  for (const grant of grantTypes) {
    if (!policy.grantTypes.includes(grant)) {
      throw new InvalidClientMetadataError(`grant_types: "${grant}" is not allowed here (allowed: ${policy.grantTypes.join(', ')})`);
    }
  }
  const responseTypes = optionalStringList(body, 'response_types') ?? (grantTypes.includes('authorization_code') ? ['code'] : []);
  if (responseTypes.some((type) => type !== 'code')) {
    throw new InvalidClientMetadataError('response_types: only "code" is supported');
  }
  // RFC 7591 §2.1: the code response type and the authorization_code grant go together.
  if (responseTypes.includes('code') !== grantTypes.includes('authorization_code')) {
    throw new InvalidClientMetadataError('response_types "code" and grant_types "authorization_code" must be registered together');
  }
  const scope = optionalString(body, 'scope');
  const scopes = scope === undefined ? [...policy.defaultScope] : scope.split(' ').filter(Boolean);
  for (const name of scopes) {
    if (!policy.scopes.includes(name)) throw new InvalidClientMetadataError(`scope: "${name}" is not allowed here`);
  }
  const applicationType = optionalString(body, 'application_type');
  if (applicationType !== undefined && applicationType !== 'web' && applicationType !== 'native') {
    throw new InvalidClientMetadataError(`application_type "${applicationType}" is not supported (use web or native)`);
  }
  const name = optionalString(body, 'client_name');
  return {
    authMethod: authMethod as TokenEndpointAuthMethod,
    fields: {
      name: name === undefined || !name.trim() ? UNNAMED_CLIENT : name,
      redirectUris,
      grantTypes,
      // RFC 7591 §3.2.1 lets the server replace requested metadata: under `policy`, the registered
      // scope no longer limits the client, so an agent can step up to any scope the policy allows.
      scopes: policy.scopeLimit === 'policy' ? [...policy.scopes] : scopes,
      applicationType: applicationType as ApplicationType | undefined,
      logoUri: optionalString(body, 'logo_uri') ?? null,
      clientUri: optionalString(body, 'client_uri') ?? null,
      softwareId: optionalString(body, 'software_id') ?? null,
      softwareVersion: optionalString(body, 'software_version') ?? null,
      ...openIdFields(body, openIdOn),
    },
  };
}

/**
 * The OpenID Connect fields, typed here and judged by `ClientRegistry`. Null when omitted, so an
 * RFC 7592 update without them clears them; always null with OpenID Connect off (ignored, see above).
 */
function openIdFields(body: Record<string, unknown>, openIdOn: boolean): Pick<RequestedMetadata['fields'], OpenIdField> {
  if (!openIdOn) return { idTokenSignedResponseAlg: null, subjectType: null, sectorIdentifierUri: null, postLogoutRedirectUris: null };
  return {
    idTokenSignedResponseAlg: (optionalString(body, 'id_token_signed_response_alg') ?? null) as SigningAlgorithm | null,
    subjectType: (optionalString(body, 'subject_type') ?? null) as SubjectType | null,
    sectorIdentifierUri: optionalString(body, 'sector_identifier_uri') ?? null,
    postLogoutRedirectUris: optionalStringList(body, 'post_logout_redirect_uris') ?? null,
  };
}

type OpenIdField = 'idTokenSignedResponseAlg' | 'subjectType' | 'sectorIdentifierUri' | 'postLogoutRedirectUris';

/** The update of a client an RFC 7592 §2.2 request asks for: every field replaced. */
export function asClientUpdate(metadata: RequestedMetadata, client: OAuthClient): ClientUpdate {
  return {
    ...metadata.fields,
    // An omitted application_type defaults as at registration (RFC 7592 §2.2), by the client's kind.
    applicationType: metadata.fields.applicationType ?? (client.secretHash === null ? 'native' : 'web'),
  };
}

/** Without `grant_types`: what RFC 7591 §2 defaults to, plus refresh tokens when allowed; client_credentials for a secret-less request never. */
function defaultGrants(policy: RegistrationSettings, authMethod: string): GrantType[] {
  const grants: GrantType[] = ['authorization_code'];
  if (policy.grantTypes.includes('refresh_token')) grants.push('refresh_token');
  return authMethod === 'none' || policy.grantTypes.includes('authorization_code') ? grants : ['client_credentials'];
}

/** The client information response (RFC 7591 §3.2.1, RFC 7592 §3): every registered metadata field. */
export function clientInformation(client: OAuthClient): Record<string, unknown> {
  return {
    client_id: client.id,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    grant_types: [...client.grantTypes],
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    // The token endpoint accepts either secret method from a confidential client; RFC 7591's default is named.
    token_endpoint_auth_method: client.secretHash === null ? 'none' : 'client_secret_basic',
    scope: client.scopes.join(' '),
    application_type: client.applicationType,
    ...(client.clientUri ? { client_uri: client.clientUri } : {}),
    ...(client.logoUri ? { logo_uri: client.logoUri } : {}),
    ...(client.softwareId ? { software_id: client.softwareId } : {}),
    ...(client.softwareVersion ? { software_version: client.softwareVersion } : {}),
    ...(client.idTokenSignedResponseAlg ? { id_token_signed_response_alg: client.idTokenSignedResponseAlg } : {}),
    ...(client.subjectType ? { subject_type: client.subjectType } : {}),
    ...(client.sectorIdentifierUri ? { sector_identifier_uri: client.sectorIdentifierUri } : {}),
    ...(client.postLogoutRedirectUris ? { post_logout_redirect_uris: [...client.postLogoutRedirectUris] } : {}),
    // RFC 7591 §3.2.1: REQUIRED with a secret; 0 = it does not expire.
    ...(client.secretHash !== null ? { client_secret_expires_at: 0 } : {}),
  };
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidClientMetadataError(`${field} must be a string`);
  return value;
}

function optionalStringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new InvalidClientMetadataError(`${field} must be an array of strings`);
  }
  if (value.length > 20) throw new InvalidClientMetadataError(`${field} may list at most 20 values`);
  return [...(value as string[])];
}
