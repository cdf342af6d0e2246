/**
 * The OpenID Connect parameters of an authorization request (OpenID Connect Core §3.1.2.1), read only
 * while the server has OpenID Connect on:
 * - `nonce`, `max_age`, `ui_locales`, `login_hint`, `id_token_hint`, `acr_values`, `display` are
 *   single-valued like every other parameter (RFC 6749 §3.1); `max_age` is a non-negative integer;
 * - `request`, `request_uri` and `registration` are refused with their own codes (§6, §7.2.1): this
 *   server reads no request objects and is no self-issued OP;
 * - `claims` (§5.5) is ignored, as §5.5 allows: the granted scopes alone decide what is released;
 * - `display` and `acr_values` are accepted and ignored: the host's pages decide how they look and
 *   how the user signs in, and `acr` in the ID token says what was done.
 */
import { InvalidRequestError, RegistrationNotSupportedError, RequestNotSupportedError, RequestUriNotSupportedError } from '../oauth.errors';
import { singleValuedParams } from '../protocol/single-valued-params';

/** What an OpenID Connect request asks beyond OAuth. */
export interface OpenIdRequest {
  /** Whether the granted scopes include `openid`: only then the code carries the sign-in (§3.1.2.1). */
  authentication: boolean;
  nonce?: string;
  /** `max_age` in seconds: the sign-in may be at most that old. */
  maxAge?: number;
  /** `ui_locales`, most preferred first. */
  uiLocales?: string[];
  loginHint?: string;
  /** The raw `id_token_hint`; verified by the endpoint (it needs the keys). */
  idTokenHint?: string;
}

/**
 * The OpenID Connect parameters the consent form posts back with the rest of the request, so the
 * code of the decision carries the `nonce` and a retried request is the same request.
 */
export const OPENID_FORM_PARAMS = ['nonce', 'max_age', 'ui_locales', 'login_hint', 'acr_values', 'display'] as const;

/** Every OpenID Connect parameter read as a single string. `claims` is not: it is ignored. */
const OPENID_SINGLE_VALUED = [...OPENID_FORM_PARAMS, 'id_token_hint', 'request', 'request_uri', 'registration'] as const;

const NON_NEGATIVE_INTEGER = /^\d{1,10}$/;

/**
 * Reads and checks the OpenID Connect parameters of `source`; `params` receives the ones the consent
 * form carries. `authentication` is false here: the caller sets it once the scopes are granted.
 */
export function readOpenIdRequest(source: Readonly<Record<string, unknown>>, params: Record<string, string | undefined>): OpenIdRequest {
  const read = singleValuedParams(source, OPENID_SINGLE_VALUED);
  if (read.request !== undefined) throw new RequestNotSupportedError('Request objects (the request parameter) are not supported');
  if (read.request_uri !== undefined) throw new RequestUriNotSupportedError('The request_uri parameter is not supported');
  if (read.registration !== undefined) throw new RegistrationNotSupportedError('The registration parameter is not supported');
  for (const name of OPENID_FORM_PARAMS) params[name] = read[name];
  const request: OpenIdRequest = { authentication: false };
  if (read.nonce !== undefined) request.nonce = read.nonce;
  if (read.max_age !== undefined) {
    if (!NON_NEGATIVE_INTEGER.test(read.max_age)) {
      throw new InvalidRequestError('max_age must be a non-negative integer number of seconds (OpenID Connect Core §3.1.2.1)');
    }
    request.maxAge = Number(read.max_age);
  }
  const locales = read.ui_locales?.split(' ').filter(Boolean);
  if (locales?.length) request.uiLocales = locales;
  if (read.login_hint !== undefined) request.loginHint = read.login_hint;
  if (read.id_token_hint !== undefined) request.idTokenHint = read.id_token_hint;
  return request;
}
