/**
 * The framework-free response the core returns; the HTTP bridge writes it as-is.
 */
export interface OAuthResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** A JSON value (written with `application/json`), an HTML/text string, or undefined for no body. */
  body?: unknown;
}

/** Headers every token-bearing response carries (RFC 6749 §5.1). */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});

/** A JSON response with `Cache-Control: no-store` (RFC 6749 §5.1). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string | string[]> = {}): OAuthResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE_HEADERS, ...headers }, body };
}

/** A 302 redirect. */
export function redirectResponse(location: string, headers: Record<string, string | string[]> = {}): OAuthResponse {
  return { status: 302, headers: { Location: location, ...NO_STORE_HEADERS, ...headers } };
}
