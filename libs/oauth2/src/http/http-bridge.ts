import type { OAuthRequest } from '../core/oauth-request';
import type { OAuthResponse } from '../core/oauth-response';
import { parseCookies } from './cookies';
import { announcesFormBody, readFormBody } from './form-body';

/**
 * The one place that knows Express and Fastify: it turns their request into an `OAuthRequest` and
 * writes an `OAuthResponse` back. Controllers, the guard and the filters go through it, so the
 * module runs on `@nestjs/platform-express` and `@nestjs/platform-fastify` alike.
 */
export function toOAuthRequest(req: any): OAuthRequest {
  const raw = req.raw ?? req; // Fastify wraps Node's IncomingMessage in `raw`
  const fastify = isFastifyRequest(req);
  const body = req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? req.body : {};
  return {
    method: req.method,
    url: fastify ? req.url : (req.originalUrl ?? req.url),
    headers: raw.headers,
    query: req.query ?? {},
    body,
    cookies: parseCookies(raw.headers.cookie),
    // Fastify derives `protocol` and `ip` from X-Forwarded-* only with its `trustProxy` option, as
    // Express does with `trust proxy`: neither believes the headers by default.
    secure: fastify ? req.protocol === 'https' : Boolean(req.secure),
    ip: req.ip ?? raw.socket?.remoteAddress ?? '',
    raw: req,
  };
}

/**
 * `toOAuthRequest`, after reading a form body Fastify left unread: Fastify never parses the body
 * of a GET or HEAD, where Express does, and RFC 6750 §2.2 needs to see `access_token` sent there to
 * refuse it. The body is read only when the headers announce a form and nothing parsed it.
 */
export async function readOAuthRequest(req: any): Promise<OAuthRequest> {
  if (isFastifyRequest(req) && req.body === undefined && announcesFormBody(req.raw.headers)) {
    req.body = await readFormBody(req.raw, req.routeOptions?.bodyLimit);
  }
  return toOAuthRequest(req);
}

/** Writes the response: JSON bodies serialized, strings sent as-is, nothing for undefined. */
export function writeOAuthResponse(res: any, response: OAuthResponse): void {
  const body = response.body === undefined ? undefined : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  if (isFastifyReply(res)) {
    // `headers()` keeps an array value (several Set-Cookie headers) as separate header lines.
    res.code(response.status).headers(response.headers);
    res.send(body ?? '');
    return;
  }
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(body);
}

/** A Fastify request wraps Node's `IncomingMessage` in `raw` and knows its route. */
export function isFastifyRequest(req: any): boolean {
  return req?.raw !== undefined && typeof req.routeOptions === 'object';
}

/** A Fastify reply has `code()` and wraps Node's `ServerResponse` in `raw`. */
function isFastifyReply(res: any): boolean {
  return typeof res?.code === 'function' && res.raw !== undefined;
}
