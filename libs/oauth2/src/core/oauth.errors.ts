/**
 * OAuth 2.0 errors, one class per RFC error code.
 *
 * - The class decides the HTTP status and whether the error may be sent to the client's
 *   `redirect_uri` (RFC 6749 §4.1.2.1): an error about the client or the redirect URI itself
 *   must never be redirected, since the URI is not yet trusted.
 * - `description` becomes `error_description`; it must be safe to show to the client (no secrets,
 *   no stack traces) and is restricted to the RFC 6749 §5.2 character set when written.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'account_selection_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement';

/** Base class of every protocol error the core throws. @publicApi */
export abstract class OAuthError extends Error {
  abstract readonly code: OAuthErrorCode;
  /** HTTP status used when the error is written as a JSON response. */
  readonly status: number = 400;
  /**
   * Whether the authorization endpoint may send this error to the client's redirect URI (RFC 6749
   * §4.1.2.1), once that URI is trusted. False for errors about the client or the redirect URI itself
   * (oauthlib's `FatalClientError`): those are shown to the user as a page, wherever they are thrown.
   */
  readonly redirectable: boolean = true;
  /** Extra response headers (for example `Retry-After` on 503). */
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(
    readonly description?: string,
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = new.target.name;
  }
}

/** An error answered with 400 unless the caller says otherwise: a body too large (413) or of the wrong type (415). */
abstract class OAuthBodyError extends OAuthError {
  override readonly status: number;
  constructor(description?: string, options?: { cause?: unknown; status?: number }) {
    super(description, options);
    this.status = options?.status ?? 400;
  }
}

/** RFC 6749 §4.1.2.1 / §5.2 / RFC 6750 §3.1. `status` may differ for body problems (413, 415). */
export class InvalidRequestError extends OAuthBodyError {
  readonly code = 'invalid_request';
}
/** RFC 6749 §5.2: client authentication failed. Never redirected. */
export class InvalidClientError extends OAuthError {
  readonly code = 'invalid_client';
  override readonly status = 401;
  override readonly redirectable = false;
  constructor(
    description?: string,
    /** True when the client tried HTTP Basic: the response then carries `WWW-Authenticate: Basic`. */
    readonly usedBasic = false,
    options?: { cause?: unknown },
  ) {
    super(description, options);
  }
}
/**
 * RFC 6749 §4.1.2.1: the authorization request's `client_id` is missing or not registered. The
 * redirect URI cannot be trusted without a client, so the user is told on a page; never redirected.
 */
export class UnknownClientError extends InvalidRequestError {
  override readonly redirectable = false;
}
/**
 * RFC 6749 §3.1.2.3, §4.1.2.1: the `redirect_uri` does not exactly match one registered for the client,
 * or is omitted when the client has not exactly one, or when the request is an OpenID Connect one
 * (OpenID Connect Core §3.1.2.1 makes it REQUIRED). Shown on a page, never redirected (§10.15).
 */
export class RedirectUriMismatchError extends InvalidRequestError {
  override readonly redirectable = false;
}
/** RFC 6749 §5.2 */
export class InvalidGrantError extends OAuthError {
  readonly code = 'invalid_grant';
}
/** RFC 6749 §4.1.2.1 / §5.2 */
export class UnauthorizedClientError extends OAuthError {
  readonly code = 'unauthorized_client';
}
/** RFC 6749 §5.2 */
export class UnsupportedGrantTypeError extends OAuthError {
  readonly code = 'unsupported_grant_type';
}
/** RFC 6749 §4.1.2.1 */
export class UnsupportedResponseTypeError extends OAuthError {
  readonly code = 'unsupported_response_type';
}
/** RFC 6749 §4.1.2.1 / §5.2 */
export class InvalidScopeError extends OAuthError {
  readonly code = 'invalid_scope';
}
/**
 * RFC 8707 §2: a `resource` is not a valid absolute URI, not a resource of this server, not one the
 * client may use or the grant covers, or names more than the one audience a token can have. Redirected
 * from the authorization endpoint like `invalid_scope` (§2: "returned … to the client's redirect URI").
 */
export class InvalidTargetError extends OAuthError {
  readonly code = 'invalid_target';
}
/** RFC 6749 §4.1.2.1: the resource owner or the server denied the request. */
export class AccessDeniedError extends OAuthError {
  readonly code = 'access_denied';
  override readonly status = 403;
}
/** OpenID Connect Core §3.1.2.6, used by `prompt=none` (widely adopted by OAuth servers). */
export class LoginRequiredError extends OAuthError {
  readonly code = 'login_required';
}
/** OpenID Connect Core §3.1.2.6 */
export class ConsentRequiredError extends OAuthError {
  readonly code = 'consent_required';
}
/**
 * OpenID Connect Core §3.1.2.6: the user must pick an account (`prompt=select_account` with a
 * session), and this server's host offers no way to pick one.
 */
export class AccountSelectionRequiredError extends OAuthError {
  readonly code = 'account_selection_required';
}
/** OpenID Connect Core §3.1.2.6, §6: the `request` parameter (a request object) is not supported. */
export class RequestNotSupportedError extends OAuthError {
  readonly code = 'request_not_supported';
}
/** OpenID Connect Core §3.1.2.6, §6: the `request_uri` parameter is not supported. */
export class RequestUriNotSupportedError extends OAuthError {
  readonly code = 'request_uri_not_supported';
}
/** OpenID Connect Core §3.1.2.6, §7.2.1: the `registration` parameter (self-issued OP) is not supported. */
export class RegistrationNotSupportedError extends OAuthError {
  readonly code = 'registration_not_supported';
}
/** RFC 6749 §4.1.2.1: an unexpected condition; the cause is logged, never echoed. */
export class ServerError extends OAuthError {
  readonly code = 'server_error';
  override readonly status = 500;
}
/** RFC 6749 §4.1.2.1: a dependency (the database) is down; the client may retry. */
export class TemporarilyUnavailableError extends OAuthError {
  readonly code = 'temporarily_unavailable';
  override readonly status = 503;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(description?: string, retryAfterSeconds = 5, options?: { cause?: unknown }) {
    super(description, options);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
/**
 * Too many requests from one client or address (429, RFC 6585 §4). RFC 6749 defines no code for it,
 * so the body reuses `temporarily_unavailable` — a code clients already treat as "retry later" —
 * and `Retry-After` says when.
 */
export class TooManyRequestsError extends OAuthError {
  readonly code = 'temporarily_unavailable';
  override readonly status = 429;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly retryAfterSeconds: number,
    description = `Too many requests; retry after ${retryAfterSeconds} seconds`,
  ) {
    super(description);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
/** RFC 6750 §3.1: the access token is unknown, expired or revoked. */
export class InvalidTokenError extends OAuthError {
  readonly code = 'invalid_token';
  override readonly status = 401;
}
/** RFC 6750 §3.1: the token lacks a scope the resource requires. */
export class InsufficientScopeError extends OAuthError {
  readonly code = 'insufficient_scope';
  override readonly status = 403;
  constructor(
    readonly requiredScopes: readonly string[],
    description?: string,
  ) {
    super(description ?? `This resource requires the scope: ${requiredScopes.join(' ')}`);
  }
}
/** RFC 7009 §2.2.1 */
export class UnsupportedTokenTypeError extends OAuthError {
  readonly code = 'unsupported_token_type';
}
/** RFC 7591 §3.2.2: a redirect URI of a registration request is not allowed. */
export class InvalidRedirectUriError extends OAuthError {
  readonly code = 'invalid_redirect_uri';
}
/** RFC 7591 §3.2.2: a client metadata value is invalid or refused by the server's policy. `status` is 413 for an oversized request. */
export class InvalidClientMetadataError extends OAuthBodyError {
  readonly code = 'invalid_client_metadata';
}
/** RFC 7591 §3.2.2: the software statement is invalid. */
export class InvalidSoftwareStatementError extends OAuthError {
  readonly code = 'invalid_software_statement';
}
/** RFC 7591 §3.2.2: the software statement is not approved for use by this server. */
export class UnapprovedSoftwareStatementError extends OAuthError {
  readonly code = 'unapproved_software_statement';
}
