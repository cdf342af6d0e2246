import type { OAuthRequest } from '../core/oauth-request';
import type { OAuthResponse } from '../core/oauth-response';
import { parseCookies } from './cookies';

/**
 * The one place that knows Express and Fastify: it turns their request into an `OAuthRequest` and
 * writes an `OAuthResponse` back. Controllers, the guard and the filters go through it, so the
 * module runs on `@nestjs/platform-express` and `@nestjs/platform-fastify` alike.
 */
export function toOAuthRequest(req: any): OAuthRequest {
  const raw = req.raw ?? req; // Fastify wraps Node's IncomingMessage in `raw`
  const fastify = req.raw !== undefined && typeof req.routeOptions === 'object';
  const body = req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? req.body : {};
  return {
    method: req.method,
    url: fastify ? req.url : (req.originalUrl ?? req.url),
    headers: raw.headers,
    query: req.query ?? {},
    body,
    cookies: parseCookies(raw.headers.cookie),
    secure: fastify ? req.protocol === 'https' : Boolean(req.secure),
    ip: req.ip ?? raw.socket?.remoteAddress ?? '',
    raw: req,
  };
}

/** Writes the response: JSON bodies serialized, strings sent as-is, nothing for undefined. */
export function writeOAuthResponse(res: any, response: OAuthResponse): void {
  const body = response.body === undefined ? undefined : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  if (typeof res.code === 'function' && res.raw !== undefined) {
    res.code(response.status).headers(response.headers);
    res.send(body ?? '');
    return;
  }
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(body);
}
