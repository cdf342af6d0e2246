import { InvalidRequestError } from '../oauth.errors';
import type { OAuthRequest } from '../oauth-request';

/**
 * Transport security (RFC 6749 §3.1, §3.2, §10.9: the endpoints require TLS). With `requireHttps`
 * on, a request that did not arrive over TLS is refused unless it comes from the loopback interface
 * (local development, health checks). `secure` and `ip` honour Express's `trust proxy`, so a TLS
 * terminating proxy is trusted only when the host app says so.
 */
const LOOPBACK_IPS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** True when the request came from the loopback interface. */
export function isLoopbackIp(ip: string): boolean {
  return LOOPBACK_IPS.has(ip);
}

/** Throws `invalid_request` for a plain-http request from a non-loopback address when https is required. */
export function assertSecureTransport(req: OAuthRequest, requireHttps: boolean): void {
  if (!requireHttps || req.secure || isLoopbackIp(req.ip)) return;
  throw new InvalidRequestError('This endpoint requires HTTPS (RFC 6749 §3.1)');
}
