/**
 * The one test for an `application/x-www-form-urlencoded` body, the encoding RFC 6749 Appendix B
 * prescribes for the token endpoint (§3.2), RFC 7009 §2.1 and RFC 7662 §2.1 for revocation and
 * introspection, and RFC 6750 §2.2 for a bearer token in the body. Media types are case-insensitive
 * and may carry parameters (RFC 9110 §8.3.1), so `Application/X-WWW-Form-Urlencoded; charset=utf-8`
 * counts; a longer type that merely starts with the name (`…-urlencodedx`) does not.
 */
const FORM_MEDIA_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** True when a `Content-Type` header value names a form body; a repeated or missing header is not one. */
export function isFormContentType(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && FORM_MEDIA_TYPE.test(contentType);
}
