/**
 * Design note: RFC 8414 §3.1 and RFC 9728 §3.1 insert the well-known name before a path of any
 * depth, and the two routers share no wildcard syntax for a controller route (Express 5 wants
 * `*name`, Fastify's find-my-way a bare trailing `*`, and Nest rewrites the latter on Express with a
 * warning). Nest's middleware paths, though, are matched by Nest itself with one syntax on both
 * platforms, so one middleware on `.well-known/*path` serves every path-inserted document. It works on
 * the raw request path because Express routes ignore a trailing slash and RFC 9728 documents must not.
 * What breaks it: a Nest release that stops running a `forRoutes()` middleware for a path no
 * controller declares (the symptom: 404 at every path-inserted well-known URL);
 * `nest-internals.spec.ts` checks it on Express and Fastify.
 */
import { Injectable, Optional, type NestMiddleware } from '@nestjs/common';
import { AuthorizationServerMetadata } from '../core/metadata';
import { OPENID_CONFIGURATION_WELL_KNOWN, OpenIdProviderConfiguration } from '../core/openid/discovery';
import { PROTECTED_RESOURCE_WELL_KNOWN, ProtectedResourceMetadata } from '../core/protected-resource-metadata';
import type { OAuthRequest } from '../core/oauth-request';
import type { OAuthResponse } from '../core/oauth-response';
import { toOAuthRequest } from './http-bridge';

/** The Nest middleware route that reaches every `/.well-known/…` request. */
export const WELL_KNOWN_ROUTE = '.well-known/*path';

const AUTHORIZATION_SERVER_PREFIX = '/.well-known/oauth-authorization-server/';

/**
 * Serves path-inserted RFC 8414 documents, every RFC 9728 document, and the OpenID configuration of
 * an issuer with a path (appended, Discovery §4.1, on its own route; inserted, RFC 8414 §5); anything
 * else goes on.
 */
@Injectable()
export class WellKnownMiddleware implements NestMiddleware {
  constructor(
    private readonly protectedResources: ProtectedResourceMetadata,
    @Optional() private readonly authorizationServer?: AuthorizationServerMetadata,
    @Optional() private readonly openIdConfiguration?: OpenIdProviderConfiguration,
  ) {}

  use(req: any, res: any, next: (error?: unknown) => void): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url: string = req.originalUrl ?? req.url;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (path === PROTECTED_RESOURCE_WELL_KNOWN || path.startsWith(`${PROTECTED_RESOURCE_WELL_KNOWN}/`)) {
      return write(res, this.protectedResources.handle(requestOf(req), path));
    }
    if (this.authorizationServer && path.startsWith(AUTHORIZATION_SERVER_PREFIX)) {
      return write(res, this.authorizationServer.handle(requestOf(req), path.slice(AUTHORIZATION_SERVER_PREFIX.length)));
    }
    if (this.openIdConfiguration?.enabled) {
      if (path === this.openIdConfiguration.appendedPath) return write(res, this.openIdConfiguration.handle(requestOf(req), ''));
      if (path.startsWith(`${OPENID_CONFIGURATION_WELL_KNOWN}/`)) {
        return write(res, this.openIdConfiguration.handle(requestOf(req), path.slice(OPENID_CONFIGURATION_WELL_KNOWN.length + 1)));
      }
    }
    next();
  }
}

/**
 * The request as the core sees it. On Fastify a middleware gets Node's request, on which middie
 * copies Fastify's `ip` and `protocol` (both honour `trustProxy`) but sets no `secure`; Express's
 * `protocol` honours `trust proxy` too.
 */
function requestOf(req: any): OAuthRequest {
  const request = toOAuthRequest(req);
  return request.secure || req.protocol !== 'https' ? request : { ...request, secure: true };
}

/** Writes through Node's response API, which Express's response and Fastify's raw one share. */
function write(res: any, response: OAuthResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
}
