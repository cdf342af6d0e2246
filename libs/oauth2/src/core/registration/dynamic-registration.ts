/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592) at `{prefix}/register`.
 * - Registration: a JSON POST (§3.1), with an initial access token as a bearer token when the policy
 *   asks for one (§3); 201 with the client information response (§3.2.1), errors per §3.2.2.
 * - The client is validated and stored by `ClientRegistry` (the rules every client passes), with
 *   `registration: 'dynamic'`; it stores nothing when anything is refused.
 * - Management: GET, PUT and DELETE at `registration_client_uri` with the registration access token
 *   (RFC 7592 §2); a wrong token, or a client that is gone, is 401 `invalid_token` (RFC 6750 §3.1).
 * - Software statements (§2.3) are not accepted: a request carrying one is refused with
 *   `unapproved_software_statement` (or `invalid_software_statement` when it is not even a JWT).
 * - An identical re-registration of a public client may get the client registered before (policy
 *   `reusePublicClients`), without a registration access token: only the first registrant manages it.
 */
import { BEARER_HEADER } from '../bearer-credentials';
import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import type { TokenStore } from '../../stores/token.store';
import { BearerTokenError, MissingBearerTokenError } from '../bearer-challenge';
import { ClientRegistrationError, type ClientRegistry } from '../client-registry';
import type { Clock } from '../clock';
import { respondOrError } from '../error-response';
import { endpointUrl } from '../metadata';
import type { OAuthRequest } from '../oauth-request';
import { jsonResponse, NO_STORE_HEADERS, type OAuthResponse } from '../oauth-response';
import {
  InvalidClientMetadataError,
  InvalidRedirectUriError,
  InvalidRequestError,
  InvalidSoftwareStatementError,
  UnapprovedSoftwareStatementError,
} from '../oauth.errors';
import { constantTimeEqual, hashSecret } from '../protocol/credentials';
import { assertSecureTransport } from '../protocol/https-requirement';
import type { ServerSettings } from '../server-settings';
import { asClientUpdate, clientInformation, readClientMetadata, type RequestedMetadata } from './client-metadata';
import { isValidInitialAccessToken } from './initial-access-tokens';
import type { RegistrationSettings } from './registration-settings';

/** The largest registration request accepted, serialized: metadata is small, and every byte is stored. */
export const MAX_REGISTRATION_BYTES = 16 * 1024;

/** What the registration endpoint needs. @publicApi */
export interface DynamicRegistrationDeps {
  /** `openid`: whether OpenID Connect client metadata is read (see `client-metadata.ts`). */
  options: Pick<ServerSettings, 'issuer' | 'prefix' | 'requireHttps' | 'realm' | 'openid'>;
  settings: RegistrationSettings;
  registry: ClientRegistry;
  clients: ClientStore;
  tokens: TokenStore;
  clock: Clock;
  /**
   * Counts one registration attempt from `ip` against the creation limits; throws
   * `TooManyRequestsError` over them. Not called for a request with a valid initial access token.
   */
  countCreation?: (ip: string) => Promise<void>;
  /** Told about unexpected errors (the client sees only a generic `server_error`). */
  reportError?: (error: unknown) => void;
}

/** RFC 7591 registration and RFC 7592 management. Each method answers and never throws. @publicApi */
export class DynamicRegistration {
  constructor(private readonly deps: DynamicRegistrationDeps) {}

  /** `POST {prefix}/register` (RFC 7591 §3.1). */
  register(req: OAuthRequest): Promise<OAuthResponse> {
    return this.answer(async () => {
      assertSecureTransport(req, this.deps.options.requireHttps);
      const { initialAccessToken } = this.deps.settings;
      let trusted = false;
      // Open registration reads no Authorization header at all: whatever a client sends there is ignored.
      if (initialAccessToken !== 'none') {
        const presented = bearerToken(req, this.deps.options.realm);
        if (presented === undefined && initialAccessToken === 'required') throw new MissingBearerTokenError(this.deps.options.realm);
        if (presented !== undefined) {
          if (!(await isValidInitialAccessToken(this.deps.tokens, this.deps.clock, presented))) {
            throw new BearerTokenError(this.deps.options.realm, 'The initial access token is unknown, expired or revoked');
          }
          trusted = true;
        }
      }
      // Counted before the body is looked at, so refused attempts use the budget too.
      if (!trusted) await this.deps.countCreation?.(req.ip);
      const body = jsonBody(req);
      refuseSoftwareStatement(body);
      const metadata = readClientMetadata(body, this.deps.settings, this.deps.options.openid !== undefined);
      const reused = await this.reusable(metadata);
      if (reused) return jsonResponse(201, clientInformation(reused));
      const registered = await this.refusingBadMetadata(() =>
        this.deps.registry.register({
          ...metadata.fields,
          public: metadata.authMethod === 'none',
          registration: 'dynamic',
          defaultResource: this.deps.settings.defaultResource ?? null,
        }),
      );
      return jsonResponse(201, {
        ...clientInformation(registered.client),
        ...(registered.clientSecret ? { client_secret: registered.clientSecret } : {}),
        registration_access_token: registered.registrationAccessToken,
        registration_client_uri: this.clientUri(registered.client.id),
      });
    });
  }

  /** `GET {prefix}/register/{client_id}` (RFC 7592 §2.1). */
  read(req: OAuthRequest, clientId: string): Promise<OAuthResponse> {
    return this.answer(async () => {
      const client = await this.authorize(req, clientId);
      return jsonResponse(200, this.managed(client));
    });
  }

  /** `PUT {prefix}/register/{client_id}` (RFC 7592 §2.2): replaces the metadata; omitted fields take their defaults. */
  update(req: OAuthRequest, clientId: string): Promise<OAuthResponse> {
    return this.answer(async () => {
      const client = await this.authorize(req, clientId);
      const body = jsonBody(req);
      if (body.client_id !== client.id) throw new InvalidRequestError('client_id must be given and equal the client being updated');
      for (const field of ['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at']) {
        if (body[field] !== undefined) throw new InvalidRequestError(`${field} must not be sent in an update (RFC 7592 section 2.2)`);
      }
      // The secret cannot be chosen or changed here; a client that sends it must send the one it has.
      if (body.client_secret !== undefined) {
        const matches = typeof body.client_secret === 'string' && client.secretHash !== null;
        if (!matches || !constantTimeEqual(hashSecret(body.client_secret as string), client.secretHash!)) {
          throw new InvalidRequestError('client_secret does not match the client (RFC 7592 section 2.2)');
        }
      }
      refuseSoftwareStatement(body);
      const metadata = readClientMetadata(body, this.deps.settings, this.deps.options.openid !== undefined);
      if ((metadata.authMethod === 'none') !== (client.secretHash === null)) {
        throw new InvalidClientMetadataError('token_endpoint_auth_method cannot turn a public client into a confidential one or back');
      }
      const updated = await this.refusingBadMetadata(() => this.deps.registry.update(client.id, asClientUpdate(metadata, client)));
      return jsonResponse(200, this.managed(updated));
    });
  }

  /** `DELETE {prefix}/register/{client_id}` (RFC 7592 §2.3): 204; its tokens stop working. */
  remove(req: OAuthRequest, clientId: string): Promise<OAuthResponse> {
    return this.answer(async () => {
      const client = await this.authorize(req, clientId);
      await this.deps.registry.delete(client.id);
      return { status: 204, headers: { ...NO_STORE_HEADERS } };
    });
  }

  private answer(work: () => Promise<OAuthResponse>): Promise<OAuthResponse> {
    return respondOrError(work, { realm: this.deps.options.realm, reportError: this.deps.reportError });
  }

  /** The client a management request may act on: dynamically registered, with this registration access token. */
  private async authorize(req: OAuthRequest, clientId: string): Promise<OAuthClient> {
    assertSecureTransport(req, this.deps.options.requireHttps);
    const token = bearerToken(req, this.deps.options.realm);
    if (token === undefined) throw new MissingBearerTokenError(this.deps.options.realm);
    const client = clientId.length <= 255 ? await this.deps.clients.findById(clientId) : undefined;
    // One answer for an unknown client and a wrong token, so the endpoint does not reveal which ids exist.
    const expected = client?.registration === 'dynamic' ? client.registrationAccessTokenHash : undefined;
    if (!client || !expected || !constantTimeEqual(hashSecret(token), expected)) {
      throw new BearerTokenError(this.deps.options.realm, 'The registration access token is not valid for this client');
    }
    return client;
  }

  /** A read or update response: the metadata and where to manage it, never a secret (RFC 7592 §3). */
  private managed(client: OAuthClient): Record<string, unknown> {
    return { ...clientInformation(client), registration_client_uri: this.clientUri(client.id) };
  }

  private clientUri(clientId: string): string {
    return `${endpointUrl(this.deps.options as ServerSettings, 'register')}/${encodeURIComponent(clientId)}`;
  }

  /** With `reusePublicClients`: the public client an identical earlier registration created, if any. */
  private async reusable(metadata: RequestedMetadata): Promise<OAuthClient | undefined> {
    if (!this.deps.settings.reusePublicClients || metadata.authMethod !== 'none') return undefined;
    const { fields } = metadata;
    const candidates = await this.deps.clients.findDynamicPublic(fields.name.trim(), fields.softwareId ?? undefined);
    const applicationType = fields.applicationType ?? 'native';
    const wanted = {
      redirectUris: fields.redirectUris,
      grantTypes: [...new Set(fields.grantTypes)],
      scopes: [...new Set(fields.scopes)],
      applicationType,
      logoUri: fields.logoUri ?? undefined,
      clientUri: fields.clientUri ?? undefined,
      softwareVersion: fields.softwareVersion ?? undefined,
      defaultResource: this.deps.settings.defaultResource ?? null,
      idTokenSignedResponseAlg: fields.idTokenSignedResponseAlg ?? undefined,
      subjectType: fields.subjectType ?? undefined,
      sectorIdentifierUri: fields.sectorIdentifierUri ?? undefined,
      postLogoutRedirectUris: fields.postLogoutRedirectUris?.length ? [...new Set(fields.postLogoutRedirectUris)] : undefined,
    };
    return candidates.find(
      (client) =>
        sameList(client.redirectUris, wanted.redirectUris) &&
        sameList(client.grantTypes, wanted.grantTypes) &&
        sameList(client.scopes, wanted.scopes) &&
        client.applicationType === wanted.applicationType &&
        client.logoUri === wanted.logoUri &&
        client.clientUri === wanted.clientUri &&
        client.softwareVersion === wanted.softwareVersion &&
        client.defaultResource === wanted.defaultResource &&
        client.idTokenSignedResponseAlg === wanted.idTokenSignedResponseAlg &&
        client.subjectType === wanted.subjectType &&
        client.sectorIdentifierUri === wanted.sectorIdentifierUri &&
        sameList(client.postLogoutRedirectUris ?? [], wanted.postLogoutRedirectUris ?? []) &&
        client.resources === null,
    );
  }

  /** Runs a registry call, turning its refusal into RFC 7591 §3.2.2 errors. */
  private async refusingBadMetadata<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ClientRegistrationError)) throw error;
      const description = error.problems.join('; ');
      if (error.redirectUriProblems.length) throw new InvalidRedirectUriError(description, { cause: error });
      throw new InvalidClientMetadataError(description, { cause: error });
    }
  }
}

/** The bearer token of the Authorization header (RFC 6750 §2.1), undefined without one. */
function bearerToken(req: OAuthRequest, realm: string): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  // Trailing spaces tolerated here, as registration clients have always been allowed them.
  const match = typeof header === 'string' ? BEARER_HEADER.exec(header.replace(/ +$/, '')) : null;
  if (!match) throw new BearerTokenError(realm, 'The Authorization header must carry a bearer token (RFC 6750 section 2.1)');
  return match[1];
}

/** The JSON object a registration or update sends (RFC 7591 §3.1); anything else is `invalid_client_metadata`. */
function jsonBody(req: OAuthRequest): Record<string, unknown> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/json') throw new InvalidClientMetadataError('The request must be an application/json client metadata object');
  const body = req.body as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidClientMetadataError('The request body must be a JSON object of client metadata');
  }
  if (JSON.stringify(body).length > MAX_REGISTRATION_BYTES) {
    throw new InvalidClientMetadataError(`The client metadata must be at most ${MAX_REGISTRATION_BYTES} bytes`, { status: 413 });
  }
  return body as Record<string, unknown>;
}

/** RFC 7591 §2.3: this server approves no software statements; one that is not a JWT is invalid anyway. */
function refuseSoftwareStatement(body: Record<string, unknown>): void {
  const statement = body.software_statement;
  if (statement === undefined) return;
  if (typeof statement !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(statement)) {
    throw new InvalidSoftwareStatementError('software_statement must be a signed JWT (RFC 7591 section 2.3)');
  }
  throw new UnapprovedSoftwareStatementError('This server accepts no software statements; register without one');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
