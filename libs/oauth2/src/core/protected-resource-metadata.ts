import type { OAuthRequest } from './oauth-request';
import { jsonResponse, type OAuthResponse } from './oauth-response';
import { assertSecureTransport } from './protocol/https-requirement';
import { toErrorResponse } from './error-response';

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728).
 * - The document (§2): `resource` exactly as configured (clients compare it byte for byte, §3.3),
 *   `authorization_servers`, `scopes_supported`, `bearer_methods_supported` (the RFC 6750 §2
 *   methods the resource accepts) and `resource_name`.
 * - Where it lives (§3.1): `/.well-known/oauth-protected-resource` inserted between the host and
 *   the path of the identifier, so `https://h/v1/` has its document at
 *   `https://h/.well-known/oauth-protected-resource/v1/` and `https://h/v1` at `…/v1`: the two are
 *   different resources and each path answers for one only. A resource without a path (or `/`) has
 *   it at `/.well-known/oauth-protected-resource`.
 * - `scopes_supported` leaves out `offline_access` (and the server's `offlineAccessScope`): it asks
 *   the authorization server for a refresh token and is no requirement of the resource, so a client
 *   that requests every listed scope must not be led to ask for it (MCP 2026-07-28 Authorization,
 *   Refresh Tokens).
 */

/** The well-known path segment of RFC 9728 §3. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

const ORIGIN_AND_PATH = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/;

/** The path (from the root of its origin) of a resource's metadata document (RFC 9728 §3.1). */
export function protectedResourceMetadataPath(resource: string): string {
  const path = ORIGIN_AND_PATH.exec(resource)?.[2] ?? '';
  return path === '' || path === '/' ? PROTECTED_RESOURCE_WELL_KNOWN : `${PROTECTED_RESOURCE_WELL_KNOWN}${path}`;
}

/** The absolute URL of a resource's metadata document, as `resource_metadata` names it (RFC 9728 §5.1). */
export function protectedResourceMetadataUrl(resource: string): string {
  const origin = ORIGIN_AND_PATH.exec(resource)?.[1] ?? resource;
  return `${origin}${protectedResourceMetadataPath(resource)}`;
}

/** The scope that asks for a refresh token (OpenID Connect Core §11), by convention. */
export const OFFLINE_ACCESS_SCOPE = 'offline_access';

/** `scopes` without the refresh-token scopes (`offline_access` and `refreshScope`), as a resource names them. */
export function resourceScopes(scopes: readonly string[], refreshScope?: string | false): string[] {
  return scopes.filter((scope) => scope !== OFFLINE_ACCESS_SCOPE && scope !== refreshScope);
}

/** What a protected resource's document says about it. */
export interface ProtectedResourceDescription {
  /** Its identifier, in canonical form (RFC 8707 §2). */
  resource: string;
  /** Issuers of the authorization servers whose tokens it accepts. */
  authorizationServers: readonly string[];
  /** Its scopes; left out of the document when undefined. */
  scopes?: readonly string[];
  /** Whether it accepts `?access_token=` (RFC 6750 §2.3). */
  allowQueryToken: boolean;
  /** Its name in words (`resource_name`); left out when undefined. */
  name?: string;
  /** The authorization server's `offlineAccessScope`, if any: left out of `scopes_supported` like `offline_access`. */
  refreshScope?: string | false;
}

/** The RFC 9728 §2 metadata document of one protected resource. */
export function buildProtectedResourceMetadata(description: ProtectedResourceDescription): Record<string, unknown> {
  const document: Record<string, unknown> = {
    resource: description.resource,
    authorization_servers: [...description.authorizationServers],
  };
  if (description.scopes) document.scopes_supported = resourceScopes(description.scopes, description.refreshScope);
  // RFC 6750 §2.1 header and §2.2 form body are always accepted; the query only when allowed.
  document.bearer_methods_supported = description.allowQueryToken ? ['header', 'body', 'query'] : ['header', 'body'];
  if (description.name !== undefined) document.resource_name = description.name;
  return document;
}

/** What the metadata endpoint needs. */
export interface ProtectedResourceMetadataDeps {
  resources: readonly ProtectedResourceDescription[];
  /** Refuse plain http as the other endpoints do (RFC 6749 §3.1 by extension). */
  requireHttps: boolean;
  realm: string;
}

/**
 * Serves the documents of the resources this application hosts, each at its own path (see the file
 * header). The path is compared exactly, trailing slash included.
 */
export class ProtectedResourceMetadata {
  private readonly byPath = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(private readonly deps: ProtectedResourceMetadataDeps) {
    for (const resource of deps.resources) {
      this.byPath.set(protectedResourceMetadataPath(resource.resource), Object.freeze(buildProtectedResourceMetadata(resource)));
    }
  }

  /** The paths this application serves documents at. */
  get paths(): readonly string[] {
    return [...this.byPath.keys()];
  }

  /** Answers a request for `path` (the raw request path, without the query). */
  handle(req: OAuthRequest, path: string): OAuthResponse {
    try {
      assertSecureTransport(req, this.deps.requireHttps);
    } catch (error) {
      return toErrorResponse(error, this.deps.realm);
    }
    const document = this.byPath.get(path);
    if (!document) return jsonResponse(404, { error: 'not_found', error_description: 'No protected resource has its metadata here' });
    // Public and identical for everyone, as the authorization server's metadata.
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
      body: document,
    };
  }
}
