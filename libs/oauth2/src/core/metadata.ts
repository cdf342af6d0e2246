import type { ServerSettings } from './server-settings';
import { GRANT_TYPES } from '../stores/models';
import { assertSecureTransport } from './protocol/https-requirement';
import { toErrorResponse } from './error-response';
import { jsonResponse, type OAuthResponse } from './oauth-response';
import type { OAuthRequest } from './oauth-request';

/**
 * Authorization server metadata (RFC 8414). Other parts of the module add their endpoints through
 * `MetadataExtension`s (revocation, introspection), so this file lists only what it implements.
 */

/** Contributes extra metadata fields, e.g. `revocation_endpoint`. */
export type MetadataExtension = (options: ServerSettings) => Record<string, unknown>;

/** The absolute URL of an endpoint mounted under the prefix: `{issuer}/{prefix}/{path}`. */
export function endpointUrl(options: ServerSettings, path: string): string {
  const base = options.issuer.replace(/\/+$/, '');
  return [base, options.prefix, path].filter((p) => p !== '').join('/');
}

/** The RFC 8414 §2 metadata document of this server. */
export function buildMetadata(options: ServerSettings, extensions: readonly MetadataExtension[] = []): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    issuer: options.issuer,
    authorization_endpoint: endpointUrl(options, 'auth'),
    token_endpoint: endpointUrl(options, 'token'),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    code_challenge_methods_supported: options.allowPlainPkce ? ['S256', 'plain'] : ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    scopes_supported: Object.keys(options.scopes),
    // RFC 9207 §3: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    // draft-ietf-oauth-client-id-metadata-document §5: a URL may be used as the client_id.
    ...(options.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
  };
  for (const extend of extensions) Object.assign(metadata, extend(options));
  return metadata;
}

/** What the metadata endpoint needs. @publicApi */
export interface AuthorizationServerMetadataDeps {
  options: ServerSettings;
  /** Fields other endpoints add to the document (RFC 8414 §2), e.g. revocation and introspection. */
  extensions?: readonly MetadataExtension[];
}

/**
 * Serves the metadata at `/.well-known/oauth-authorization-server` and, when the issuer has a path,
 * at the path-suffixed form RFC 8414 §3.1 requires (`/.well-known/oauth-authorization-server/tenant`).
 * @example
 * new AuthorizationServerMetadata({ options, extensions: [(o) => ({ revocation_endpoint: endpointUrl(o, 'revoke') })] })
 */
export class AuthorizationServerMetadata {
  private readonly document: Record<string, unknown>;
  private readonly issuerPath: string;

  constructor(private readonly deps: AuthorizationServerMetadataDeps) {
    this.document = Object.freeze(buildMetadata(deps.options, deps.extensions));
    this.issuerPath = new URL(deps.options.issuer).pathname.replace(/\/+$/, '');
  }

  /** The metadata document (read-only). */
  get metadata(): Readonly<Record<string, unknown>> {
    return this.document;
  }

  /** Answer a metadata request; `suffix` is the path after the well-known name ('' for none). */
  handle(req: OAuthRequest, suffix: string): OAuthResponse {
    try {
      assertSecureTransport(req, this.deps.options.requireHttps);
    } catch (error) {
      return toErrorResponse(error, this.deps.options.realm);
    }
    const wanted = suffix === '' ? '' : `/${suffix.replace(/^\/+|\/+$/g, '')}`;
    if (wanted !== '' && wanted !== this.issuerPath) {
      return jsonResponse(404, { error: 'not_found', error_description: 'No authorization server has this issuer path' });
    }
    // Public and identical for everyone, so it may be cached (unlike token responses).
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
      body: this.document,
    };
  }
}
