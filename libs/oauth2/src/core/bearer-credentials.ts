import { BearerRequestError, type ChallengeTarget } from './bearer-challenge';
import type { OAuthRequest } from './oauth-request';
import { isFormContentType } from './protocol/form-content-type';

/** The parts of a request a bearer token can travel in. */
export type BearerRequest = Pick<OAuthRequest, 'method' | 'headers' | 'query' | 'body'>;

/** RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`; the scheme is case-insensitive (RFC 7235 §2.1). */
export const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** The same b64token syntax for the body and query forms, so every source accepts the same tokens. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Finds the access token of a request (RFC 6750 §2), or undefined when none was sent.
 * - `Authorization: Bearer <b64token>` (§2.1); another scheme (e.g. Basic) is not a bearer credential.
 * - `access_token` in an `application/x-www-form-urlencoded` body (§2.2), never on GET; other body
 *   types are the host's own payload and are not looked into.
 * - `access_token` in the query (§2.3) only when `allowQuery`; otherwise refused with a clear
 *   description rather than ignored, so the client learns why its token "does not work".
 * Two sources in one request, a repeated parameter or a malformed value → `invalid_request` (§3.1).
 */
export function extractBearerToken(request: BearerRequest, realm: ChallengeTarget, allowQuery: boolean): string | undefined {
  const found: string[] = [];
  const header = request.headers.authorization;
  if (Array.isArray(header)) throw new BearerRequestError(realm, 'Send a single Authorization header');
  if (header !== undefined && /^Bearer(\s|$)/i.test(header)) {
    const match = BEARER_HEADER.exec(header);
    if (!match)
      throw new BearerRequestError(
        realm,
        'The Authorization header must be the Bearer scheme followed by one token (RFC 6750 section 2.1)',
      );
    found.push(match[1]);
  }

  const bodyToken = request.body.access_token;
  if (bodyToken !== undefined && isFormContentType(request.headers['content-type'])) {
    if (request.method.toUpperCase() === 'GET') {
      throw new BearerRequestError(realm, 'The access_token body parameter is not allowed on GET (RFC 6750 section 2.2)');
    }
    found.push(parameter(bodyToken, realm, 'body'));
  }

  const queryToken = request.query.access_token;
  if (queryToken !== undefined) {
    if (!allowQuery) {
      throw new BearerRequestError(
        realm,
        'Access tokens are not accepted in the query string; send them in the Authorization header (RFC 6750 section 2.3)',
      );
    }
    found.push(parameter(queryToken, realm, 'query'));
  }

  if (found.length > 1)
    throw new BearerRequestError(realm, 'Send the access token one way only, not in several places (RFC 6750 section 3.1)');
  return found[0];
}

function parameter(value: unknown, realm: ChallengeTarget, where: 'body' | 'query'): string {
  if (Array.isArray(value)) throw new BearerRequestError(realm, `The access_token ${where} parameter must not be repeated`);
  if (typeof value !== 'string' || !B64TOKEN.test(value)) {
    throw new BearerRequestError(realm, `The access_token ${where} parameter is not a valid token`);
  }
  return value;
}
