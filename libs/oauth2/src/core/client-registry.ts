import { sectorIdentifier } from './openid/subject';
import { ClientStore } from '../stores/client.store';
import {
  APPLICATION_TYPES,
  CLIENT_REGISTRATION_KINDS,
  GRANT_TYPES,
  type ApplicationType,
  type ClientRegistrationKind,
  type GrantType,
  type OAuthClient,
  type SigningAlgorithm,
  type SubjectType,
} from '../stores/models';
import type { DocumentFetchSettings } from './client-metadata/document-fetcher';
import type { Clock } from './clock';
import { openIdMetadata, openIdMetadataProblems, type ClientOpenIdSettings } from './openid/client-openid-metadata';
import { sectorDocumentFetchSettings, sectorDocumentProblem } from './openid/sector-identifier';
import { hashSecret, randomId, randomToken } from './protocol/credentials';
import { redirectUriProblem } from './protocol/redirect-uri';
import { canonicalResourceUri } from './protocol/resource-indicator';
import { isHttpsUrl } from './protocol/https-url';

/** What registering a client needs. @publicApi */
export interface ClientRegistration {
  name: string;
  redirectUris?: string[];
  /** Defaults to `['authorization_code', 'refresh_token']`. */
  grantTypes?: GrantType[];
  /** Scopes the client may ask for; defaults to every configured scope. */
  scopes?: string[];
  /** A public client (no secret, PKCE mandatory), e.g. a SPA or a native app. */
  public?: boolean;
  /**
   * `web` or `native` (RFC 7591 §2 `application_type`). Defaults to `native` for a public client and
   * `web` for a confidential one; a public SPA says `web`. Native clients may use any port on a
   * loopback IP redirect URI and private-use URI schemes (RFC 8252 §7.1, §7.3).
   */
  applicationType?: ApplicationType;
  canIntrospect?: boolean;
  /**
   * The protected resources (RFC 8707) the client may get tokens for, as canonical identifiers
   * (`https://api.example/v1/`, not `HTTPS://API.example:443/v1/`). Default: every configured resource.
   */
  resources?: string[] | null;
  /**
   * The resource its requests get when they name none; wins over the server's `defaultResource`. Must
   * be one of `resources` when those are listed. Default: the server's.
   */
  defaultResource?: string | null;
  /** An https URL of the client's logo (RFC 7591 §2 `logo_uri`), shown on the consent page. */
  logoUri?: string | null;
  /** An https URL of the client's home page (RFC 7591 §2 `client_uri`), offered as the way back from an error page. */
  clientUri?: string | null;
  /**
   * The user registering the client in a developer portal: only calls naming the same owner may then
   * change, rotate or delete it (see `ClientOwnership`). Left out for clients an operator registers.
   */
  ownerId?: string;
  /** What the client does, in its developer's words (at most 1000 characters), for a portal's list of apps. */
  description?: string | null;
  /**
   * How the client is being registered, shown on the consent page. Defaults to `developer` with an
   * `ownerId` and `operator` without one; dynamic registration (RFC 7591) says `dynamic`.
   */
  registration?: ClientRegistrationKind;
  /**
   * RFC 7591 §2 `software_id` and `software_version` (at most 255 characters each): which software
   * registered the client, when it says so.
   */
  softwareId?: string | null;
  softwareVersion?: string | null;
  /**
   * OpenID Connect Registration §2 `id_token_signed_response_alg`: one of the server's
   * `openid.idTokenSigningAlgorithms`; default RS256. Unsigned (`none`) and shared-secret (`HS256`…)
   * ID tokens are refused.
   */
  idTokenSignedResponseAlg?: SigningAlgorithm | null;
  /** OpenID Connect Core §8 `subject_type`: `public` (the default) or `pairwise`, when the server offers it. */
  subjectType?: SubjectType | null;
  /**
   * OpenID Connect Registration §2 `sector_identifier_uri`: an https URL whose JSON array lists every
   * redirect URI of the client, fetched when it is registered or changed (§5). Required for a pairwise
   * client whose redirect URIs are on more than one host (Core §8.1).
   */
  sectorIdentifierUri?: string | null;
  /** OpenID Connect RP-Initiated Logout §3.1 `post_logout_redirect_uris`, under the rules of redirect URIs. */
  postLogoutRedirectUris?: string[] | null;
  /** Use this `client_id` instead of a random one (for seeding). */
  id?: string;
}

/**
 * A client described by a Client ID Metadata Document, for `ClientRegistry.saveUrlClient`. @publicApi
 */
export interface UrlClientRegistration extends Pick<
  ClientRegistration,
  | 'name'
  | 'redirectUris'
  | 'grantTypes'
  | 'scopes'
  | 'applicationType'
  | 'resources'
  | 'defaultResource'
  | 'logoUri'
  | 'clientUri'
  | 'description'
> {
  /** The document's URL. */
  id: string;
  /** Until when this copy may be used. */
  metadataExpiresAt: Date;
  /** When the client was first seen; default now. */
  createdAt?: Date;
}

/**
 * Who is acting on a client. With `owner`, a client that user did not register is treated as
 * unknown (the same error as a wrong id, so one developer cannot probe another's client ids).
 * @publicApi
 */
export interface ClientOwnership {
  owner?: string;
}

/** How a secret rotation treats the old secret. @publicApi */
export interface SecretRotation extends ClientOwnership {
  /**
   * Seconds the old secret keeps working beside the new one, so deployed copies can be replaced
   * without an outage; 0 or left out ends it at once. At most 30 days. A rotation during an overlap
   * ends that overlap: only the secret being replaced is kept.
   */
  overlap?: number;
}

/** The longest overlap a rotation may give the old secret: 30 days. */
export const MAX_SECRET_OVERLAP = 30 * 24 * 3600;
const REDIRECT_URI_REQUIRED = 'at least one redirect URI is required for the authorization_code grant';
/** C0 control characters and DEL. */
const CONTROL = /[\x00-\x1f\x7f]/;
/** The longest name a client may have (the stores' column). */
const MAX_NAME = 200;
/** The longest description a client may have. */
const MAX_DESCRIPTION = 1000;

/**
 * What `ClientRegistry.update` may change; a field left out keeps its value. The secret and whether the
 * client is public are not here: `rotateSecret` issues a new secret. @publicApi
 */
export type ClientUpdate = Partial<
  Pick<
    ClientRegistration,
    | 'name'
    | 'redirectUris'
    | 'grantTypes'
    | 'scopes'
    | 'applicationType'
    | 'canIntrospect'
    | 'resources'
    | 'defaultResource'
    | 'logoUri'
    | 'clientUri'
    | 'description'
    | 'softwareId'
    | 'softwareVersion'
    | 'idTokenSignedResponseAlg'
    | 'subjectType'
    | 'sectorIdentifierUri'
    | 'postLogoutRedirectUris'
  >
>;

/** The fields the registration rules check. */
interface ClientFields {
  name: string;
  redirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  applicationType: ApplicationType;
  resources: string[] | null;
  defaultResource: string | null;
  logoUri: string | null;
  clientUri: string | null;
  description: string | null;
  softwareId: string | null;
  softwareVersion: string | null;
  idTokenSignedResponseAlg: string | null;
  subjectType: string | null;
  sectorIdentifierUri: string | null;
  postLogoutRedirectUris: string[] | null;
}

/** A registered client and its secret, which is shown this once and only stored hashed. @publicApi */
export interface RegisteredClient {
  client: OAuthClient;
  clientSecret?: string;
  /**
   * A dynamically registered client's registration access token (RFC 7592 §1), shown this once and
   * only stored hashed: it reads, updates and deletes the registration.
   */
  registrationAccessToken?: string;
}

/**
 * Thrown when a registration is invalid; `problems` lists every reason. An administrator's error,
 * not a protocol one: no OAuth error code, never written as an OAuth response. @publicApi
 */
export class ClientRegistrationError extends Error {
  constructor(
    readonly problems: string[],
    /** The problems that are about a redirect URI (RFC 7591 §3.2.2 answers those with `invalid_redirect_uri`). */
    readonly redirectUriProblems: readonly string[] = [],
  ) {
    super(problems.join('; '));
    this.name = 'ClientRegistrationError';
  }
}

/** What the client registry needs. @publicApi */
export interface ClientRegistryDeps {
  clients: ClientStore;
  clock: Clock;
  /** Every scope the server knows: the default of `scopes`, and what a registration may ask for. */
  knownScopes: readonly string[];
  /**
   * The configured resources (RFC 8707), when the registry can see them: a client's `resources` and
   * `defaultResource` must then be among them. Left out (a command-line tool without the server's
   * options), only their form is checked.
   */
  knownResources?: readonly string[];
  /**
   * OpenID Connect, when the server has it on: the ID token algorithms and subject types a client may
   * choose. Left out, OpenID Connect is off, and a client given any OpenID Connect metadata is refused.
   */
  openid?: ClientOpenIdSettings;
  /**
   * How a `sector_identifier_uri` is fetched (see `sectorDocumentFetchSettings`). Default: public
   * addresses only, with the system's resolver and CAs.
   */
  sectorDocuments?: DocumentFetchSettings;
}

/**
 * Registers and updates clients and rotates their secrets. Secrets are 256-bit random strings, returned once and
 * stored as SHA-256 only (RFC 6819 §5.1.4.1.3).
 * @publicApi
 * @example
 * const { client, clientSecret } = await registry.register({ name: 'CustomApp', redirectUris: ['https://customapp.com/oauth/redirect'] });
 */
export class ClientRegistry {
  private readonly sectorDocuments: DocumentFetchSettings;

  constructor(private readonly deps: ClientRegistryDeps) {
    this.sectorDocuments = deps.sectorDocuments ?? sectorDocumentFetchSettings(undefined);
  }

  /** Validate and store a new client; throws `ClientRegistrationError` and stores nothing on bad input. */
  async register(input: ClientRegistration): Promise<RegisteredClient> {
    const fields: ClientFields = {
      name: input.name,
      redirectUris: input.redirectUris ?? [],
      grantTypes: input.grantTypes ?? ['authorization_code', 'refresh_token'],
      scopes: input.scopes ?? [...this.deps.knownScopes],
      applicationType: input.applicationType ?? (input.public ? 'native' : 'web'),
      resources: input.resources ?? null,
      defaultResource: input.defaultResource ?? null,
      logoUri: input.logoUri ?? null,
      clientUri: input.clientUri ?? null,
      description: input.description ?? null,
      softwareId: input.softwareId ?? null,
      softwareVersion: input.softwareVersion ?? null,
      idTokenSignedResponseAlg: input.idTokenSignedResponseAlg ?? null,
      subjectType: input.subjectType ?? null,
      sectorIdentifierUri: input.sectorIdentifierUri ?? null,
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? null,
    };
    const problems = this.problems(fields, Boolean(input.public));
    if (input.ownerId !== undefined && (typeof input.ownerId !== 'string' || !input.ownerId || input.ownerId.length > 255)) {
      problems.push('owner: must be a user id of 1 to 255 characters');
    }
    const registration = input.registration ?? (input.ownerId !== undefined ? 'developer' : 'operator');
    if (!CLIENT_REGISTRATION_KINDS.includes(registration)) {
      problems.push(`registration "${String(registration)}" is not one of ${CLIENT_REGISTRATION_KINDS.join(', ')}`);
    } else if ((registration === 'developer') !== (input.ownerId !== undefined)) {
      problems.push("registration: a developer's client needs an owner, and only a developer's client has one");
    }
    if (input.id !== undefined && (await this.deps.clients.findById(input.id))) problems.push(`client "${input.id}" already exists`);
    if (!problems.length) problems.push(...(await this.sectorProblems(fields)));
    if (problems.length) throw this.refusal(problems, fields);

    const clientSecret = input.public ? undefined : randomToken();
    const registrationAccessToken = registration === 'dynamic' ? randomToken() : undefined;
    const client: OAuthClient = {
      id: input.id ?? randomId(),
      name: fields.name.trim(),
      secretHash: clientSecret ? hashSecret(clientSecret) : null,
      redirectUris: [...fields.redirectUris],
      grantTypes: [...new Set(fields.grantTypes)],
      scopes: [...new Set(fields.scopes)],
      canIntrospect: input.canIntrospect ?? false,
      applicationType: fields.applicationType,
      resources: fields.resources && [...new Set(fields.resources)],
      defaultResource: fields.defaultResource,
      ...pageUris(fields),
      ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
      registration,
      ...(registrationAccessToken ? { registrationAccessTokenHash: hashSecret(registrationAccessToken) } : {}),
      ...software(fields),
      ...openIdMetadata(fields),
      createdAt: this.deps.clock.now(),
    };
    await this.deps.clients.save(client);
    return { client, clientSecret, ...(registrationAccessToken ? { registrationAccessToken } : {}) };
  }

  /**
   * Change a registered client. The result must pass the same rules as `register` (a field left out
   * keeps its value and is checked again with the rest), so an update can never store a client that
   * registration would refuse. The secret and the public/confidential kind stay as they are: use
   * `rotateSecret` for a new secret. Throws `ClientRegistrationError` and stores nothing on bad input.
   */
  async update(clientId: string, changes: ClientUpdate, by: ClientOwnership = {}): Promise<OAuthClient> {
    const client = await this.find(clientId, by);
    const fields: ClientFields = {
      name: changes.name ?? client.name,
      redirectUris: changes.redirectUris ?? client.redirectUris,
      grantTypes: changes.grantTypes ?? client.grantTypes,
      scopes: changes.scopes ?? client.scopes,
      applicationType: changes.applicationType ?? client.applicationType,
      resources: changes.resources !== undefined ? changes.resources : client.resources,
      defaultResource: changes.defaultResource !== undefined ? changes.defaultResource : client.defaultResource,
      logoUri: changes.logoUri !== undefined ? changes.logoUri : (client.logoUri ?? null),
      clientUri: changes.clientUri !== undefined ? changes.clientUri : (client.clientUri ?? null),
      description: changes.description !== undefined ? changes.description : (client.description ?? null),
      softwareId: changes.softwareId !== undefined ? changes.softwareId : (client.softwareId ?? null),
      softwareVersion: changes.softwareVersion !== undefined ? changes.softwareVersion : (client.softwareVersion ?? null),
      idTokenSignedResponseAlg:
        changes.idTokenSignedResponseAlg !== undefined ? changes.idTokenSignedResponseAlg : (client.idTokenSignedResponseAlg ?? null),
      subjectType: changes.subjectType !== undefined ? changes.subjectType : (client.subjectType ?? null),
      sectorIdentifierUri: changes.sectorIdentifierUri !== undefined ? changes.sectorIdentifierUri : (client.sectorIdentifierUri ?? null),
      postLogoutRedirectUris:
        changes.postLogoutRedirectUris !== undefined ? changes.postLogoutRedirectUris : (client.postLogoutRedirectUris ?? null),
    };
    const problems = this.problems(fields, client.secretHash === null);
    problems.push(...subjectChangeProblems(client, fields));
    if (!problems.length) problems.push(...(await this.sectorProblems(fields, client)));
    if (problems.length) throw this.refusal(problems, fields);
    const { logoUri: _logo, clientUri: _home, description: _description, softwareId: _id, softwareVersion: _version, ...kept } = client;
    const {
      idTokenSignedResponseAlg: _alg,
      subjectType: _subject,
      sectorIdentifierUri: _sector,
      postLogoutRedirectUris: _logout,
      ...rest
    } = kept;
    const updated: OAuthClient = {
      ...rest,
      name: fields.name.trim(),
      redirectUris: [...fields.redirectUris],
      grantTypes: [...new Set(fields.grantTypes)],
      scopes: [...new Set(fields.scopes)],
      canIntrospect: changes.canIntrospect ?? client.canIntrospect,
      applicationType: fields.applicationType,
      resources: fields.resources && [...new Set(fields.resources)],
      defaultResource: fields.defaultResource,
      ...pageUris(fields),
      ...software(fields),
      ...openIdMetadata(fields),
    };
    await this.deps.clients.save(updated);
    return updated;
  }

  /**
   * Store the client a Client ID Metadata Document describes (`registration: 'url'`, its id the
   * document's URL), replacing the copy fetched before. Checked by the same rules as `register`; such
   * a client is always public (it has no secret to keep). Throws `ClientRegistrationError` and stores
   * nothing on bad input.
   */
  async saveUrlClient(input: UrlClientRegistration): Promise<OAuthClient> {
    const fields: ClientFields = {
      name: input.name,
      redirectUris: input.redirectUris ?? [],
      grantTypes: input.grantTypes ?? ['authorization_code'],
      scopes: input.scopes ?? [...this.deps.knownScopes],
      applicationType: input.applicationType ?? 'native',
      resources: input.resources ?? null,
      defaultResource: input.defaultResource ?? null,
      logoUri: input.logoUri ?? null,
      clientUri: input.clientUri ?? null,
      description: input.description ?? null,
      softwareId: null,
      softwareVersion: null,
      // A Client ID Metadata Document's OpenID Connect metadata is not read: a sector document would
      // have to be fetched while an authorization request waits.
      idTokenSignedResponseAlg: null,
      subjectType: null,
      sectorIdentifierUri: null,
      postLogoutRedirectUris: null,
    };
    const problems = this.problems(fields, true);
    if (problems.length) throw this.refusal(problems, fields);
    const client: OAuthClient = {
      id: input.id,
      name: fields.name.trim(),
      secretHash: null,
      redirectUris: [...fields.redirectUris],
      grantTypes: [...new Set(fields.grantTypes)],
      scopes: [...new Set(fields.scopes)],
      canIntrospect: false,
      applicationType: fields.applicationType,
      resources: fields.resources && [...new Set(fields.resources)],
      defaultResource: fields.defaultResource,
      ...pageUris(fields),
      registration: 'url',
      metadataExpiresAt: input.metadataExpiresAt,
      createdAt: input.createdAt ?? this.deps.clock.now(),
    };
    await this.deps.clients.save(client);
    return client;
  }

  /** The error for `problems`, telling the redirect URI ones apart. */
  private refusal(problems: string[], fields: ClientFields): ClientRegistrationError {
    const redirect = problems.filter((problem) => redirectUriProblemOf(problem, fields));
    return new ClientRegistrationError(problems, redirect);
  }

  /** Every reason the client described by `fields` may not be stored. */
  private problems(fields: ClientFields, isPublic: boolean): string[] {
    const { grantTypes, redirectUris, scopes, applicationType } = fields;
    const problems: string[] = [];
    if (typeof fields.name !== 'string' || !fields.name.trim()) problems.push('name: is required');
    else if (fields.name.trim().length > MAX_NAME) problems.push(`name: must be at most ${MAX_NAME} characters`);
    // Shown on pages and stored as text: a control character has no place there, and PostgreSQL refuses NUL.
    else if (CONTROL.test(fields.name)) problems.push('name: must not contain control characters');
    if (!APPLICATION_TYPES.includes(applicationType)) {
      problems.push(`application type "${String(applicationType)}" is not supported (use ${APPLICATION_TYPES.join(' or ')})`);
    }
    for (const grant of grantTypes) {
      if (!GRANT_TYPES.includes(grant)) problems.push(`grant type "${String(grant)}" is not supported (use ${GRANT_TYPES.join(', ')})`);
    }
    for (const uri of redirectUris) {
      const problem = typeof uri === 'string' ? redirectUriProblem(uri, applicationType) : 'each redirect URI must be a string';
      if (problem) problems.push(problem);
    }
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      problems.push(REDIRECT_URI_REQUIRED);
    }
    if (isPublic && grantTypes.includes('client_credentials')) {
      problems.push('a public client cannot use client_credentials (it has no secret to authenticate with)');
    }
    for (const scope of scopes) {
      if (!this.deps.knownScopes.includes(scope)) problems.push(`scope "${scope}" is not configured on this server`);
    }
    problems.push(...this.resourceProblems(fields));
    // Shown to users on the server's own pages: only https, so a page never links to script or plain http.
    for (const [label, value] of [
      ['logo URI', fields.logoUri],
      ['client URI', fields.clientUri],
    ] as const) {
      if (value !== null && (!isHttpsUrl(value) || /\s/.test(value as string) || CONTROL.test(value as string))) {
        problems.push(`${label} ${JSON.stringify(value)} must be an https URL`);
      }
    }
    const { description } = fields;
    if (description !== null && (typeof description !== 'string' || description.length > MAX_DESCRIPTION)) {
      problems.push(`description: must be text of at most ${MAX_DESCRIPTION} characters`);
    } else if (description?.includes('\0')) {
      problems.push('description: must not contain a NUL character');
    }
    for (const [label, value] of [
      ['software id', fields.softwareId],
      ['software version', fields.softwareVersion],
    ] as const) {
      if (value !== null && (typeof value !== 'string' || !value || value.length > 255 || CONTROL.test(value))) {
        problems.push(`${label}: must be text of 1 to 255 characters, without control characters`);
      }
    }
    problems.push(...openIdMetadataProblems(fields, this.deps.openid));
    return problems;
  }

  /**
   * OpenID Connect Registration §5: the sector identifier document must list every redirect URI.
   * Fetched only when the sector or the redirect URIs are new, so an update of a client's name does
   * not depend on the document's host being up.
   */
  private async sectorProblems(fields: ClientFields, before?: OAuthClient): Promise<string[]> {
    const uri = fields.sectorIdentifierUri;
    if (!this.deps.openid || uri === null) return [];
    const unchanged =
      before?.sectorIdentifierUri === uri &&
      before.redirectUris.length === fields.redirectUris.length &&
      before.redirectUris.every((redirect, i) => redirect === fields.redirectUris[i]);
    if (unchanged) return [];
    const problem = await sectorDocumentProblem(uri, fields.redirectUris, this.sectorDocuments);
    return problem ? [problem] : [];
  }

  /** RFC 8707 §2: resources in canonical form, configured when the registry knows them; the default among them. */
  private resourceProblems({ resources, defaultResource }: ClientFields): string[] {
    const problems: string[] = [];
    const known = this.deps.knownResources;
    const check = (what: string, uri: unknown) => {
      if (typeof uri !== 'string') return problems.push(`each ${what} must be a string`);
      const canonical = canonicalResourceUri(uri);
      if (canonical === undefined) return problems.push(`${what} "${uri}" is not an absolute URI without a fragment (RFC 8707 §2)`);
      if (canonical !== uri) return problems.push(`${what} "${uri}" must be written in its canonical form "${canonical}"`);
      if (known && !known.includes(uri)) return problems.push(`${what} "${uri}" is not configured on this server`);
      return 0;
    };
    if (resources !== null && !Array.isArray(resources))
      problems.push('resources must be a list of resource identifiers, or null for every one');
    else for (const uri of resources ?? []) check('resource', uri);
    if (defaultResource !== null) {
      check('default resource', defaultResource);
      if (Array.isArray(resources) && !resources.includes(defaultResource)) {
        problems.push(`default resource "${defaultResource}" must be one of the client's resources`);
      }
    }
    return problems;
  }

  /**
   * Issue a new secret for a confidential client. The old one stops working at once, or after
   * `overlap` seconds when given (RFC 6819 §5.2.3.1 asks for rotation; the overlap lets a deployment
   * switch without an outage).
   */
  async rotateSecret(clientId: string, rotation: SecretRotation = {}): Promise<RegisteredClient> {
    const overlap = rotation.overlap ?? 0;
    if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_SECRET_OVERLAP) {
      throw new ClientRegistrationError([`overlap: must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP} (30 days)`]);
    }
    const client = await this.find(clientId, rotation);
    if (client.secretHash === null) throw new ClientRegistrationError([`client "${clientId}" is public and has no secret`]);
    const clientSecret = randomToken();
    const { previousSecretHash: _hash, previousSecretExpiresAt: _until, ...rest } = client;
    const updated: OAuthClient = {
      ...rest,
      secretHash: hashSecret(clientSecret),
      ...(overlap > 0
        ? { previousSecretHash: client.secretHash, previousSecretExpiresAt: new Date(this.deps.clock.now().getTime() + overlap * 1000) }
        : {}),
    };
    await this.deps.clients.save(updated);
    return { client: updated, clientSecret };
  }

  /** The clients `owner` registered, oldest first: a developer portal's "Your apps". */
  listByOwner(owner: string): Promise<OAuthClient[]> {
    return this.deps.clients.listByOwner(owner);
  }

  /**
   * The client with this id, if `by.owner` (when given) registered it; undefined otherwise, so a
   * portal answers another developer's client id as it answers an unknown one.
   */
  async get(clientId: string, by: ClientOwnership = {}): Promise<OAuthClient | undefined> {
    const client = await this.deps.clients.findById(clientId);
    return client && (by.owner === undefined || client.ownerId === by.owner) ? client : undefined;
  }

  /**
   * Delete a client. Its refresh tokens and opaque access tokens stop working at once, since every
   * check looks the client up (a bearer cache serves an access token at most `bearer.cache.ttl`
   * longer); a JWT access token is self-contained and lives until its `exp`.
   */
  async delete(clientId: string, by: ClientOwnership = {}): Promise<void> {
    await this.find(clientId, by);
    await this.deps.clients.delete(clientId);
  }

  private async find(clientId: string, by: ClientOwnership): Promise<OAuthClient> {
    const client = await this.get(clientId, by);
    if (!client) throw new ClientRegistrationError([`client "${clientId}" does not exist`]);
    return client;
  }
}

/** The software id and version of a client, present only when set. */
function software(fields: ClientFields): Pick<OAuthClient, 'softwareId' | 'softwareVersion'> {
  return {
    ...(fields.softwareId ? { softwareId: fields.softwareId } : {}),
    ...(fields.softwareVersion ? { softwareVersion: fields.softwareVersion } : {}),
  };
}

/** Whether `problem` is about one of the redirect URIs (or their absence). */
function redirectUriProblemOf(problem: string, fields: ClientFields): boolean {
  return (
    problem === REDIRECT_URI_REQUIRED ||
    problem === 'each redirect URI must be a string' ||
    fields.redirectUris.some((uri) => typeof uri === 'string' && redirectUriProblem(uri, fields.applicationType) === problem)
  );
}

/** The logo, home page and description of a client, present only when set (stores keep an absent one absent). */
function pageUris(fields: ClientFields): Pick<OAuthClient, 'logoUri' | 'clientUri' | 'description'> {
  return {
    ...(fields.logoUri ? { logoUri: fields.logoUri } : {}),
    ...(fields.clientUri ? { clientUri: fields.clientUri } : {}),
    ...(fields.description ? { description: fields.description } : {}),
  };
}

/**
 * The `sub` a client has seen must stay what it was (OpenID Connect Core §8; a refreshed ID token keeps
 * the original `sub`, §12.2), and a pairwise client must never be re-pointed at another sector: it
 * would then see the `sub` that sector's clients see, and could link the user across them. So neither
 * the subject type nor a pairwise client's sector may change after registration; a client that needs
 * redirect URIs on a new host registers a `sector_identifier_uri` listing both from the start, or
 * registers again.
 */
function subjectChangeProblems(before: OAuthClient, after: ClientFields): string[] {
  const type = (value: string | null | undefined) => value ?? 'public';
  if (type(before.subjectType) !== type(after.subjectType)) {
    return [
      `subject_type cannot change after registration (it is ${type(before.subjectType)}): every sub the client has seen would change`,
    ];
  }
  if (before.subjectType !== 'pairwise') return [];
  const sector = sectorIdentifier({
    subjectType: 'pairwise',
    sectorIdentifierUri: after.sectorIdentifierUri ?? undefined,
    redirectUris: after.redirectUris,
  });
  return sector === sectorIdentifier(before)
    ? []
    : [
        `a pairwise client's sector (the host of its sector_identifier_uri, else of its redirect URIs) cannot change after registration: it is ${sectorIdentifier(before)}`,
      ];
}
