import { InvalidClientError, OAuthError, ServerError, TemporarilyUnavailableError } from './oauth.errors';
import { jsonResponse, type OAuthResponse } from './oauth-response';

/**
 * Turns any error into the RFC 6749 §5.2 JSON error response:
 * - an `OAuthError` keeps its code, status, description and headers; `invalid_client` after an
 *   HTTP Basic attempt adds `WWW-Authenticate: Basic realm="…"` (RFC 6749 §5.2);
 * - anything else becomes a generic `server_error` (the cause is for the log, never the client).
 */
export function toErrorResponse(error: unknown, realm: string): OAuthResponse {
  const oauth = asOAuthError(error);
  const headers: Record<string, string> = { ...oauth.headers };
  if (oauth instanceof InvalidClientError && oauth.usedBasic) headers['WWW-Authenticate'] = `Basic realm=${quoteHeaderValue(realm)}`;
  const body: Record<string, string> = { error: oauth.code };
  if (oauth.description) body.error_description = safeDescription(oauth.description);
  return jsonResponse(oauth.status, body, headers);
}

/**
 * The one place an endpoint's error becomes its response: runs `work` and turns whatever it throws
 * into the RFC 6749 §5.2 response (RFC 7009 §2.2.1 and RFC 7662 §2.3 reuse it), reporting anything
 * unexpected. Endpoints answer through it, so they return a response and never throw one.
 */
export async function respondOrError(
  work: () => Promise<OAuthResponse>,
  settings: { realm: string; reportError?: (error: unknown) => void },
): Promise<OAuthResponse> {
  try {
    return await work();
  } catch (error) {
    const response = toErrorResponse(error, settings.realm);
    if (response.status >= 500) settings.reportError?.(error);
    return response;
  }
}

/**
 * RFC 6749 §5.2 limits `error_description` to %x20-21 / %x23-5B / %x5D-7E: no quotes, backslashes,
 * control characters or non-ASCII, which also keeps it safe inside a header or a redirect URL.
 */
export function safeDescription(description: string): string {
  return description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, (c) => (c === '"' ? "'" : '?')).slice(0, 500);
}

/** An RFC 7230 quoted-string: quotes and backslashes escaped, control characters dropped. */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/[\x00-\x1F\x7F]/g, '').replace(/(["\\])/g, '\\$1')}"`;
}

/** Error codes of a database (or network) that is down or unreachable: worth a retry, not a 500. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  'SQLITE_BUSY',
]);

/** The protocol error an error stands for: itself, `temporarily_unavailable` for a storage outage, else `server_error`. */
export function asOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (isUnavailable(error))
    return new TemporarilyUnavailableError('The service is temporarily unavailable; retry shortly', 5, { cause: error });
  return new ServerError('The server encountered an unexpected condition', { cause: error });
}

// pg-pool's "timeout exceeded when trying to connect": every pooled connection stayed busy past
// connectionTimeoutMillis — an overloaded or unreachable database, worth a retry like any outage.
function isUnavailable(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause ?? e.driverError, depth++) {
    if (UNAVAILABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Connection is not established|ECONNREFUSED/i.test(
        e.message,
      )
    )
      return true;
  }
  return false;
}
