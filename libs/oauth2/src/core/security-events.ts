/**
 * Receives security events the server refuses without changing anything, such as a credential
 * presented by a client it was not issued to (RFC 6749 §6, §4.1.3, RFC 7009 §2.1). The host logs
 * them; the module sends them to Nest's `Logger` as warnings.
 *
 * Messages carry client ids and the first characters of a token's SHA-256 only, enough to find the
 * grant in the store, never the token: a log must not hand out credentials (RFC 6819 §5.1.4.1).
 */
export type SecurityEventReporter = (message: string) => void;

/** The first 8 hex digits of a token hash: identifies the row to an operator, useless to anyone else. */
export function hashPrefix(tokenHash: string): string {
  return tokenHash.slice(0, 8);
}
