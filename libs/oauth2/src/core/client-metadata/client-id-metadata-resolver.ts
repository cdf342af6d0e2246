import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import { ClientRegistrationError, type ClientRegistry } from '../client-registry';
import type { Clock } from '../clock';
import { isLoopbackHost } from '../protocol/redirect-uri';
import { AddressPolicy } from './address-policy';
import { cacheLifetime } from './cache-lifetime';
import type { ClientIdMetadataSettings, ClientIdUrlGrant } from './client-id-metadata-settings';
import { clientIdUrlProblem, isClientIdUrlCandidate } from './client-id-url';
import { ClientMetadataDocumentError, fetchClientMetadataDocument, type FetchedDocument } from './document-fetcher';

/**
 * Clients identified by the URL of their Client ID Metadata Document
 * (draft-ietf-oauth-client-id-metadata-document, as the MCP authorization specification uses it):
 * - a `client_id` that is an https URL with a path is looked up in the `ClientStore` first, which is
 *   the cache every instance shares: a copy whose `metadataExpiresAt` is still ahead is used as is;
 * - otherwise the trust policy must admit the URL, the document is fetched (see
 *   `fetchClientMetadataDocument` for the request-forgery rules), turned into a registration and
 *   checked by `ClientRegistry` — the same rules as every other client — and stored with
 *   `registration: 'url'`, no secret, and `metadataExpiresAt` from `Cache-Control` within bounds;
 * - a document that cannot be fetched or used is an error even when an expired copy is stored: the
 *   document is the client's registration, and its owner may have withdrawn or changed it on
 *   purpose (a leaked redirect URI, say), so an old copy is never served past its lifetime;
 * - one fetch per URL at a time in this process: concurrent first requests wait for the same one;
 * - a URL whose document could not be used is refused again for `FAILURE_TTL_MS` without a fetch, so
 *   requests naming it (at the unauthenticated authorization endpoint, say) cannot make the server
 *   fetch it again and again.
 * Every failure is a `ClientMetadataDocumentError` whose message says why, for the error page
 * (authorization endpoint) or the `invalid_client` description (token endpoint).
 */

/** What the resolver needs. */
export interface ClientIdMetadataResolverDeps {
  settings: ClientIdMetadataSettings;
  clients: ClientStore;
  registry: ClientRegistry;
  clock: Clock;
}

/** How long a URL whose document failed is refused without a new fetch. */
export const FAILURE_TTL_MS = 30_000;
/** The most failed URLs remembered; past it the oldest is forgotten first. */
const MAX_FAILURES = 1000;

/** Document fields that say the client would authenticate with a shared secret (§4.1: never). */
const SHARED_SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);

/**
 * Finds clients by id, fetching the Client ID Metadata Document of a URL client id when the stored
 * copy is missing or expired. Has `findById` as a `ClientStore` has, so the authorization and token
 * endpoints use either. @publicApi
 */
export class ClientIdMetadataResolver {
  private readonly addresses: AddressPolicy;
  private readonly inFlight = new Map<string, Promise<OAuthClient>>();
  private readonly failures = new Map<string, { until: number; error: ClientMetadataDocumentError }>();

  constructor(private readonly deps: ClientIdMetadataResolverDeps) {
    this.addresses = new AddressPolicy(deps.settings.allowedAddresses);
  }

  /**
   * The client with this id: a stored client as the store has it; a URL client from its document.
   * Resolves undefined for an unknown id that is not a URL; throws `ClientMetadataDocumentError` when
   * a URL client id's document cannot be used.
   */
  async findById(id: string): Promise<OAuthClient | undefined> {
    if (!isClientIdUrlCandidate(id)) return this.deps.clients.findById(id);
    const stored = await this.deps.clients.findById(id);
    // A client an operator registered under a URL id stays theirs: nothing is fetched for it.
    if (stored && stored.registration !== 'url') return stored;
    if (stored?.metadataExpiresAt && stored.metadataExpiresAt.getTime() > this.deps.clock.now().getTime()) return stored;
    const pending = this.inFlight.get(id);
    if (pending) return pending;
    const now = this.deps.clock.now().getTime();
    const failed = this.failures.get(id);
    if (failed && failed.until > now) throw failed.error;
    this.failures.delete(id);
    const refresh = this.refresh(id, stored)
      .catch((error: unknown) => {
        if (error instanceof ClientMetadataDocumentError) this.rememberFailure(id, error, now);
        throw error;
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, refresh);
    return refresh;
  }

  private rememberFailure(id: string, error: ClientMetadataDocumentError, now: number): void {
    if (this.failures.size >= MAX_FAILURES) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(id, { until: now + FAILURE_TTL_MS, error });
  }

  /** Passed on to the store: a URL client is stored like any other. */
  markUsed(id: string, at: Date): Promise<void> {
    return this.deps.clients.markUsed(id, at);
  }

  private async refresh(id: string, stored: OAuthClient | undefined): Promise<OAuthClient> {
    const problem = clientIdUrlProblem(id);
    if (problem) throw new ClientMetadataDocumentError(problem);
    const url = new URL(id);
    const decision = await this.deps.settings.allowClientIdUrl(url);
    // Only true or an object admits: a policy that answers nothing (undefined) refuses, never admits.
    const admitted = decision === true || (typeof decision === 'object' && decision !== null);
    if (!admitted) throw new ClientMetadataDocumentError(`this server does not accept clients from ${url.host}`);
    const { settings } = this.deps;
    const fetched = await fetchClientMetadataDocument(url, {
      addresses: this.addresses,
      timeout: settings.timeout,
      maxBytes: settings.maxBytes,
      lookup: settings.lookup,
      ca: settings.ca,
    });
    const ttl = cacheLifetime(fetched.cacheControl, { min: settings.minCacheTtl, max: settings.maxCacheTtl });
    const now = this.deps.clock.now();
    try {
      return await this.deps.registry.saveUrlClient({
        ...this.registration(id, url, fetched, decision === true ? {} : (decision as ClientIdUrlGrant)),
        metadataExpiresAt: new Date(now.getTime() + ttl * 1000),
        createdAt: stored?.createdAt,
      });
    } catch (error) {
      if (error instanceof ClientRegistrationError) {
        throw new ClientMetadataDocumentError(`the document is not a valid client registration: ${error.problems.join('; ')}`);
      }
      throw error;
    }
  }

  /** The registration a document describes (RFC 7591 §2 names), after the rules only a document has (§4.1). */
  private registration(id: string, url: URL, { body }: FetchedDocument, grant: ClientIdUrlGrant) {
    if (body.client_id !== id) {
      throw new ClientMetadataDocumentError(`the document's client_id must equal its URL exactly (got ${JSON.stringify(body.client_id)})`);
    }
    const method = body.token_endpoint_auth_method ?? 'none';
    if (typeof method === 'string' && SHARED_SECRET_METHODS.has(method)) {
      throw new ClientMetadataDocumentError(
        `a client identified by a URL cannot use a shared secret (token_endpoint_auth_method "${method}")`,
      );
    }
    if (method !== 'none') {
      throw new ClientMetadataDocumentError(`token_endpoint_auth_method must be "none" (got ${JSON.stringify(method)})`);
    }
    if (body.client_secret !== undefined || body.client_secret_expires_at !== undefined) {
      throw new ClientMetadataDocumentError('the document must not contain a client_secret');
    }
    const redirectUris = body.redirect_uris;
    if (!Array.isArray(redirectUris) || redirectUris.some((uri) => typeof uri !== 'string')) {
      throw new ClientMetadataDocumentError('redirect_uris must be a list of URIs');
    }
    if (body.response_types !== undefined) {
      const types = body.response_types;
      if (!Array.isArray(types) || types.some((t) => t !== 'code')) {
        throw new ClientMetadataDocumentError('response_types may only list "code"');
      }
    }
    const grantTypes = body.grant_types ?? ['authorization_code'];
    if (!Array.isArray(grantTypes)) throw new ClientMetadataDocumentError('grant_types must be a list');
    const { settings } = this.deps;
    const allowedScopes = grant.scopes ?? settings.scopes;
    // The document may narrow the scopes (its `scope`), never widen what the policy allows.
    const named = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : undefined;
    const scopes = named && allowedScopes ? named.filter((s) => allowedScopes.includes(s)) : (named ?? allowedScopes);
    const name = typeof body.client_name === 'string' && body.client_name.trim() ? body.client_name.trim().slice(0, 200) : url.host;
    const applicationType =
      body.application_type ?? (redirectUris.every((uri) => isNativeRedirect(uri as string)) && redirectUris.length ? 'native' : 'web');
    const resources = grant.resources !== undefined ? grant.resources : settings.resources;
    const defaultResource = grant.defaultResource !== undefined ? grant.defaultResource : settings.defaultResource;
    return {
      id,
      name,
      redirectUris: redirectUris as string[],
      grantTypes: grantTypes as OAuthClient['grantTypes'],
      scopes: scopes && [...scopes],
      applicationType: applicationType as OAuthClient['applicationType'],
      resources: resources && [...resources],
      defaultResource,
      logoUri: typeof body.logo_uri === 'string' ? body.logo_uri : null,
      clientUri: typeof body.client_uri === 'string' ? body.client_uri : null,
    };
  }
}

/** A redirect only an app on the user's device receives: loopback, or a private-use scheme (RFC 8252 §7.1, §7.3). */
function isNativeRedirect(uri: string): boolean {
  try {
    const parsed = new URL(uri);
    if (parsed.protocol === 'https:') return false;
    return parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}
