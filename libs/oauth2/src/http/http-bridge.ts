import type { BearerRequest } from '../core/bearer-credentials';
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
  const headers = headersOf(req);
  const fastify = isFastifyRequest(req);
  return {
    method: req.method,
    url: fastify ? req.url : (req.originalUrl ?? req.url),
    headers,
    query: req.query ?? {},
    body: parsedBody(req),
    cookies: parseCookies(headers.cookie as string | undefined), // Node joins repeated Cookie headers into one string
    // Fastify derives `protocol` from X-Forwarded-Proto only with its `trustProxy` option, as
    // Express does with `trust proxy`: neither believes the header by default.
    secure: fastify ? req.protocol === 'https' : Boolean(req.secure),
    ip: clientAddress(req),
    raw: req,
  };
}

/**
 * The client's address as the platform sees it: Fastify derives it from X-Forwarded-For only with
 * its `trustProxy` option, as Express does with `trust proxy`.
 */
export function clientAddress(req: any): string {
  return req.ip ?? (req.raw ?? req).socket?.remoteAddress ?? '';
}

/** The request headers: Fastify wraps Node's IncomingMessage in `raw`. */
export function headersOf(req: any): OAuthRequest['headers'] {
  return (req.raw ?? req).headers;
}

/**
 * `toOAuthRequest`, after reading a form body Fastify left unread: Fastify never parses the body
 * of a GET or HEAD, where Express does, and RFC 6750 §2.2 needs to see `access_token` sent there to
 * refuse it. The body is read only when the headers announce a form and nothing parsed it.
 */
export async function readOAuthRequest(req: any): Promise<OAuthRequest> {
  if (hasUnreadForm(req)) req.body = await readFormBody(req.raw, req.routeOptions?.bodyLimit);
  return toOAuthRequest(req);
}

/**
 * Only what a bearer token can travel in (RFC 6750 §2), with the same unread-form rule as
 * `readOAuthRequest`: the guard runs on every API request, so it does not build the cookies, URL
 * and address of a whole `OAuthRequest`.
 */
export async function readBearerRequest(req: any): Promise<BearerRequest> {
  if (hasUnreadForm(req)) req.body = await readFormBody(req.raw, req.routeOptions?.bodyLimit);
  return { method: req.method, headers: headersOf(req), query: req.query ?? {}, body: parsedBody(req) };
}

function hasUnreadForm(req: any): boolean {
  return isFastifyRequest(req) && req.body === undefined && announcesFormBody(req.raw.headers);
}

/** The parsed body fields, or none: a raw Buffer or string body is the host's own payload. */
export function parsedBody(req: any): Record<string, unknown> {
  return req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? req.body : {};
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
