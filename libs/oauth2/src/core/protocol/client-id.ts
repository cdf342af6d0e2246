/**
 * RFC 6749 Appendix A.1: `client-id = *VSCHAR`, VSCHAR = %x20-7E. A value outside that syntax
 * cannot name a registered client, so it is answered as an unknown client without a lookup. This
 * also keeps bytes some databases refuse out of queries: PostgreSQL rejects a NUL in a text
 * parameter with an error, which would otherwise surface as a 500 instead of `invalid_client`.
 */
const CLIENT_ID = /^[\x20-\x7E]+$/;

/** True when `value` has the syntax of a client identifier (RFC 6749 Appendix A.1). */
export function isClientIdSyntax(value: string): boolean {
  return CLIENT_ID.test(value);
}
