import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ApplicationType, ClientRegistrationKind, GrantType, OAuthClient, SigningAlgorithm, SubjectType } from '../models';
import { registrationKindOf } from '../models';
import { epochMillis, jsonStringList, nullableJsonListOf, nullableJsonStringList, spaceSeparated } from './column-transformers';

const postLogoutRedirectUris = nullableJsonListOf('oauth_clients.post_logout_redirect_uris');

/** Row of `oauth_clients`: a registered client (RFC 6749 §2). Looked up by primary key on every request. @publicApi */
@Entity({ name: 'oauth_clients' })
@Index('IDX_oauth_clients_owner_id', ['ownerId'])
// Dynamic registration finds an identical public client by name; the purge finds dynamic clients.
@Index('IDX_oauth_clients_registration_name', ['registration', 'name'])
export class OAuthClientEntity {
  /** 255: a Client ID Metadata Document's client id is its https URL. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** SHA-256 hex of the secret; null for public clients. The secret itself is never stored. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash!: string | null;

  /** A JSON array: a value holding a space must never read back as two URIs. */
  @Column({ name: 'redirect_uris', type: 'text', transformer: jsonStringList })
  redirectUris!: string[];

  @Column({ name: 'grant_types', type: 'varchar', length: 200, transformer: spaceSeparated })
  grantTypes!: GrantType[];

  @Column({ type: 'text', transformer: spaceSeparated })
  scopes!: string[];

  @Column({ name: 'can_introspect', type: 'boolean' })
  canIntrospect!: boolean;

  /** `web` or `native` (RFC 7591 §2); decides how redirect URIs match (RFC 8252 §7.3). */
  @Column({ name: 'application_type', type: 'varchar', length: 16 })
  applicationType!: ApplicationType;

  /** A JSON array of resource indicators (RFC 8707), or null for every configured resource. */
  @Column({ type: 'text', nullable: true, transformer: nullableJsonStringList })
  resources!: string[] | null;

  @Column({ name: 'default_resource', type: 'text', nullable: true })
  defaultResource!: string | null;

  @Column({ name: 'logo_uri', type: 'text', nullable: true })
  logoUri!: string | null;

  @Column({ name: 'client_uri', type: 'text', nullable: true })
  clientUri!: string | null;

  /** The user who registered it in a developer portal; null for an operator's client. Indexed: a portal lists by owner. */
  @Column({ name: 'owner_id', type: 'varchar', length: 255, nullable: true })
  ownerId!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** SHA-256 hex of the secret before the last rotation, accepted until `previous_secret_expires_at`. */
  @Column({ name: 'previous_secret_hash', type: 'varchar', length: 64, nullable: true })
  previousSecretHash!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  previousSecretExpiresAt!: Date | null;

  /** `operator`, `developer`, `dynamic` or `url`: shown on the consent page. */
  @Column({ type: 'varchar', length: 16, default: 'operator' })
  registration!: ClientRegistrationKind;

  /** SHA-256 hex of the RFC 7592 registration access token of a dynamically registered client. */
  @Column({ name: 'registration_access_token_hash', type: 'varchar', length: 64, nullable: true })
  registrationAccessTokenHash!: string | null;

  @Column({ name: 'software_id', type: 'varchar', length: 255, nullable: true })
  softwareId!: string | null;

  @Column({ name: 'software_version', type: 'varchar', length: 255, nullable: true })
  softwareVersion!: string | null;

  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  lastUsedAt!: Date | null;

  /** Until when a Client ID Metadata Document fetched last stands in for a fresh fetch. */
  @Column({ name: 'metadata_expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  metadataExpiresAt!: Date | null;

  /** OpenID Connect Registration §2 `id_token_signed_response_alg`; null = RS256. */
  @Column({ name: 'id_token_signed_response_alg', type: 'varchar', length: 16, nullable: true })
  idTokenSignedResponseAlg!: SigningAlgorithm | null;

  /** OpenID Connect Core §8 `subject_type`; null = public. */
  @Column({ name: 'subject_type', type: 'varchar', length: 16, nullable: true })
  subjectType!: SubjectType | null;

  @Column({ name: 'sector_identifier_uri', type: 'text', nullable: true })
  sectorIdentifierUri!: string | null;

  /** A JSON array, as `redirect_uris` (OpenID Connect RP-Initiated Logout §3.1); null = none registered. */
  @Column({ name: 'post_logout_redirect_uris', type: 'text', nullable: true, transformer: postLogoutRedirectUris })
  postLogoutRedirectUris!: string[] | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  /** The row for a domain client. */
  static fromModel(client: OAuthClient): OAuthClientEntity {
    return Object.assign(new OAuthClientEntity(), client, {
      logoUri: client.logoUri ?? null,
      clientUri: client.clientUri ?? null,
      ownerId: client.ownerId ?? null,
      description: client.description ?? null,
      previousSecretHash: client.previousSecretHash ?? null,
      previousSecretExpiresAt: client.previousSecretExpiresAt ?? null,
      registration: registrationKindOf(client),
      registrationAccessTokenHash: client.registrationAccessTokenHash ?? null,
      softwareId: client.softwareId ?? null,
      softwareVersion: client.softwareVersion ?? null,
      lastUsedAt: client.lastUsedAt ?? null,
      metadataExpiresAt: client.metadataExpiresAt ?? null,
      idTokenSignedResponseAlg: client.idTokenSignedResponseAlg ?? null,
      subjectType: client.subjectType ?? null,
      sectorIdentifierUri: client.sectorIdentifierUri ?? null,
      postLogoutRedirectUris: client.postLogoutRedirectUris ?? null,
    });
  }

  /** The domain client of this row. */
  toModel(): OAuthClient {
    const { id, name, secretHash, redirectUris, grantTypes, scopes, canIntrospect, applicationType, createdAt } = this;
    const { resources, defaultResource, logoUri, clientUri, ownerId, description, previousSecretHash, previousSecretExpiresAt } = this;
    const { registration, registrationAccessTokenHash, softwareId, softwareVersion, lastUsedAt, metadataExpiresAt } = this;
    const { idTokenSignedResponseAlg, subjectType, sectorIdentifierUri, postLogoutRedirectUris } = this;
    return {
      id,
      name,
      secretHash,
      redirectUris,
      grantTypes,
      scopes,
      canIntrospect: Boolean(canIntrospect),
      applicationType,
      resources,
      defaultResource,
      ...(logoUri ? { logoUri } : {}),
      ...(clientUri ? { clientUri } : {}),
      ...(ownerId ? { ownerId } : {}),
      ...(description ? { description } : {}),
      ...(previousSecretHash && previousSecretExpiresAt ? { previousSecretHash, previousSecretExpiresAt } : {}),
      registration,
      ...(registrationAccessTokenHash ? { registrationAccessTokenHash } : {}),
      ...(softwareId ? { softwareId } : {}),
      ...(softwareVersion ? { softwareVersion } : {}),
      ...(lastUsedAt ? { lastUsedAt } : {}),
      ...(metadataExpiresAt ? { metadataExpiresAt } : {}),
      ...(idTokenSignedResponseAlg ? { idTokenSignedResponseAlg } : {}),
      ...(subjectType ? { subjectType } : {}),
      ...(sectorIdentifierUri ? { sectorIdentifierUri } : {}),
      ...(postLogoutRedirectUris ? { postLogoutRedirectUris } : {}),
      createdAt,
    };
  }
}
