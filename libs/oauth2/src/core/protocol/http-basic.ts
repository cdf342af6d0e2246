import { InvalidClientError, InvalidRequestError } from '../oauth.errors';

/**
 * The one HTTP Basic parser for client credentials (RFC 6749 §2.3.1): `Authorization: Basic
 * base64(urlencode(id) ":" urlencode(secret))`, both parts form-urlencoded (Appendix B) before the
 * base64 step, so a `:` or `+` in a secret survives. The scheme is case-insensitive (RFC 7235 §2.1).
 * Another scheme (e.g. Bearer) is not client authentication and yields undefined; a Basic header that
 * does not decode is `invalid_client` with the Basic challenge (RFC 6749 §5.2), and a repeated
 * Authorization header is `invalid_request`.
 */
export interface BasicCredentials {
  id: string;
  secret: string;
}

const BASIC_HEADER = /^Basic +([A-Za-z0-9+/]+=*) *$/i;
const MALFORMED = 'Malformed HTTP Basic credentials';

/** The client id and secret of an HTTP Basic header, undefined when there is none; throws on a malformed one. */
export function parseBasicCredentials(header: string | string[] | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new InvalidRequestError('Only one Authorization header is allowed');
  const match = BASIC_HEADER.exec(header);
  if (!match) {
    if (/^Basic\b/i.test(header)) throw new InvalidClientError(MALFORMED, true);
    return undefined; // another scheme: not client authentication
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientError(MALFORMED, true);
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClientError(MALFORMED, true);
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
