import type { ApplicationType, ClientRegistrationKind, GrantType, OAuthClient, SigningAlgorithm, SubjectType } from '../models';
import { epochMillis, nullableJsonStringList, parseStringList, spaceSeparated } from './column-transformers';

/** The columns of `oauth_clients` a lookup reads. */
export const CLIENT_COLUMNS =
  'id, name, secret_hash, redirect_uris, grant_types, scopes, can_introspect, application_type, resources, default_resource, logo_uri, client_uri, ' +
  'owner_id, description, previous_secret_hash, previous_secret_expires_at, registration, registration_access_token_hash, software_id, ' +
  'software_version, last_used_at, metadata_expires_at, id_token_signed_response_alg, subject_type, sector_identifier_uri, ' +
  'post_logout_redirect_uris, created_at';

/** A raw `oauth_clients` row: booleans are 0/1 on SQLite and MariaDB, `bigint` a string from pg and mysql2. */
export interface OAuthClientRow {
  id: string;
  name: string;
  secret_hash: string | null;
  redirect_uris: string | null;
  grant_types: string | null;
  scopes: string | null;
  can_introspect: boolean | number | string;
  application_type: string;
  resources: string | null;
  default_resource: string | null;
  logo_uri: string | null;
  client_uri: string | null;
  owner_id: string | null;
  description: string | null;
  previous_secret_hash: string | null;
  previous_secret_expires_at: string | number | null;
  registration: string;
  registration_access_token_hash: string | null;
  software_id: string | null;
  software_version: string | null;
  last_used_at: string | number | null;
  metadata_expires_at: string | number | null;
  id_token_signed_response_alg: string | null;
  subject_type: string | null;
  sector_identifier_uri: string | null;
  post_logout_redirect_uris: string | null;
  created_at: string | number;
}

/** The domain client of a raw row; the same conversions as the entity's column transformers. */
export function clientFromRow(row: OAuthClientRow): OAuthClient {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    redirectUris: parseStringList(row.redirect_uris),
    grantTypes: spaceSeparated.from(row.grant_types) as GrantType[],
    scopes: spaceSeparated.from(row.scopes),
    canIntrospect: row.can_introspect === true || Number(row.can_introspect) === 1,
    applicationType: row.application_type as ApplicationType,
    resources: nullableJsonStringList.from(row.resources) as string[] | null,
    defaultResource: row.default_resource,
    ...(row.logo_uri ? { logoUri: row.logo_uri } : {}),
    ...(row.client_uri ? { clientUri: row.client_uri } : {}),
    ...(row.owner_id ? { ownerId: row.owner_id } : {}),
    ...(row.description ? { description: row.description } : {}),
    ...(row.previous_secret_hash && row.previous_secret_expires_at != null
      ? { previousSecretHash: row.previous_secret_hash, previousSecretExpiresAt: epochMillis.from(row.previous_secret_expires_at) }
      : {}),
    registration: row.registration as ClientRegistrationKind,
    ...(row.registration_access_token_hash ? { registrationAccessTokenHash: row.registration_access_token_hash } : {}),
    ...(row.software_id ? { softwareId: row.software_id } : {}),
    ...(row.software_version ? { softwareVersion: row.software_version } : {}),
    ...(row.last_used_at != null ? { lastUsedAt: epochMillis.from(row.last_used_at) } : {}),
    ...(row.metadata_expires_at != null ? { metadataExpiresAt: epochMillis.from(row.metadata_expires_at) } : {}),
    ...(row.id_token_signed_response_alg ? { idTokenSignedResponseAlg: row.id_token_signed_response_alg as SigningAlgorithm } : {}),
    ...(row.subject_type ? { subjectType: row.subject_type as SubjectType } : {}),
    ...(row.sector_identifier_uri ? { sectorIdentifierUri: row.sector_identifier_uri } : {}),
    ...(row.post_logout_redirect_uris != null
      ? { postLogoutRedirectUris: parseStringList(row.post_logout_redirect_uris, 'oauth_clients.post_logout_redirect_uris') }
      : {}),
    createdAt: epochMillis.from(row.created_at),
  };
}
