/**
 * OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3, §4). The document is the RFC 8414 one,
 * which gains the OpenID fields whenever OpenID Connect is on, so both well-known names always say
 * the same thing (RFC 8414 §5 asks that they agree). It is served at:
 * - `/.well-known/openid-configuration`;
 * - `{issuer}/.well-known/openid-configuration` for an issuer with a path (Discovery §4.1 appends
 *   the well-known name to the issuer, where RFC 8414 §3.1 inserts it);
 * - `/.well-known/openid-configuration{issuer path}`, the RFC 8414 §5 form of the same.
 * With OpenID Connect off every one of them is 404.
 */
import type { AuthorizationServerMetadata } from '../metadata';
import { endpointUrl } from '../metadata';
import { jsonResponse, type OAuthResponse } from '../oauth-response';
import type { OAuthRequest } from '../oauth-request';
import type { ServerSettings } from '../server-settings';

/** The well-known name of OpenID Connect Discovery §4. */
export const OPENID_CONFIGURATION_WELL_KNOWN = '/.well-known/openid-configuration';

/** Claims every ID token may carry, whatever the scopes (Core §2). */
const ID_TOKEN_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'at_hash'];

/** The OpenID fields of the metadata document (Discovery §3); none when OpenID Connect is off. */
export function openIdMetadata(options: ServerSettings): Record<string, unknown> {
  const openid = options.openid;
  if (!openid) return {};
  const scopeClaims = Object.values(openid.scopeClaims).flat();
  return {
    userinfo_endpoint: endpointUrl(options, 'userinfo'),
    jwks_uri: endpointUrl(options, 'jwks'),
    end_session_endpoint: endpointUrl(options, 'logout'),
    subject_types_supported: [...openid.subjectTypes],
    id_token_signing_alg_values_supported: [...openid.idTokenSigningAlgorithms],
    claims_supported: [...new Set([...ID_TOKEN_CLAIMS, ...scopeClaims])],
    claim_types_supported: ['normal'],
    // Only what the authorization endpoint implements: no request objects, no `claims` parameter.
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
  };
}

/**
 * Where Discovery §4.1 puts the document of an issuer with a path, `{issuer path}/.well-known/openid-configuration`;
 * undefined at the root (the controller serves it there) or with OpenID Connect off.
 */
export function appendedConfigurationPath(options: Pick<ServerSettings, 'issuer' | 'openid'>): string | undefined {
  const issuerPath = new URL(options.issuer).pathname.replace(/\/+$/, '');
  return options.openid && issuerPath !== '' ? `${issuerPath}${OPENID_CONFIGURATION_WELL_KNOWN}` : undefined;
}

/** Serves the OpenID Provider Configuration document. */
export class OpenIdProviderConfiguration {
  /** The issuer's path form of the document (Discovery §4.1), if any. */
  readonly appendedPath: string | undefined;

  constructor(
    private readonly options: Pick<ServerSettings, 'issuer' | 'openid'>,
    private readonly metadata: AuthorizationServerMetadata,
  ) {
    this.appendedPath = appendedConfigurationPath(options);
  }

  /** Whether OpenID Connect is on: when off, the middleware leaves the well-known name to the host. */
  get enabled(): boolean {
    return this.options.openid !== undefined;
  }

  /** Answers a request for the document; `suffix` is the path after the well-known name ('' for none). */
  handle(req: OAuthRequest, suffix: string): OAuthResponse {
    if (!this.options.openid) {
      return jsonResponse(404, { error: 'not_found', error_description: 'OpenID Connect is not enabled on this server' });
    }
    return this.metadata.handle(req, suffix);
  }
}
