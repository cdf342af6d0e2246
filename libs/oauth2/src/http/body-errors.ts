import type { IncomingHttpHeaders } from 'node:http';
import type { HttpServer, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { BearerRequestError, type ChallengeTarget } from '../core/bearer-challenge';
import { toErrorResponse } from '../core/error-response';
import { InvalidClientMetadataError, InvalidRequestError, OAuthError } from '../core/oauth.errors';
import { BearerRoutes, expressRouteHandlers, OAUTH_BEARER_ROUTE } from './bearer-routes';
import { assertDecodableBody, UNDECODABLE_BODY } from './form-body';
import { writeOAuthResponse } from './http-bridge';

/**
 * Express's body parsers and Fastify's content-type parsers fail before routing reaches a
 * controller, so neither the endpoint filter nor any route-scoped code sees a malformed, oversized
 * or unsupported body: the platform's own error body would go out. On the module's endpoints such a
 * failure must still be an RFC 6749 §5.2 `invalid_request`; this installs that at the platform
 * level, for the endpoints' paths. On a host route `BearerGuard` protects (see `bearer-routes.ts`)
 * it is the guard's RFC 6750 §3.1 `invalid_request` with its `WWW-Authenticate: Bearer` challenge.
 * Every other host route keeps its own error handling.
 *
 * Design note: this is global to the platform instance (an Express error middleware, a Fastify
 * `onRoute` hook), so it must recognise our paths itself and pass everything else on untouched. It
 * relies on Nest's init order (see the header of `oauth.module.ts`), on body-parser's `type` and
 * Fastify's `FST_ERR_` codes, and on Express's router stack (`bearer-routes.ts`); all of these are
 * checked by `nest-internals.spec.ts` and the hostile-input suites on both platforms.
 */
export function installBodyErrorHandling(
  adapter: HttpServer,
  endpoints: (path: string) => boolean,
  realm: string,
  phase: 'before-routes' | 'after-routes',
  bearerRoutes: BearerRoutes,
  challengeOf: (routeResource: string | undefined) => ChallengeTarget = () => realm,
): void {
  const instance: any = adapter.getInstance();
  const write = (reply: unknown, error: OAuthError) => writeOAuthResponse(reply, toErrorResponse(error, realm));
  // The guard's challenge for the route, so it names the resource's metadata (RFC 9728 §5.1) as the guard would.
  const bearer = (error: OAuthError, mark: unknown) =>
    new BearerRequestError(challengeOf(BearerRoutes.resourceOf(mark)), error.description ?? UNDECODABLE_BODY, {
      status: error.status,
      cause: error,
    });
  const fastify = typeof instance?.addHook === 'function';
  // Fastify's hook must see the routes being added; Express's error middleware must come after the
  // router (which fails on undecodable paths) and before Nest's own error handler.
  if (fastify !== (phase === 'before-routes')) return;
  if (fastify) {
    // Fastify: a route's own errorHandler; anything else is re-thrown to the app's handler (Nest's).
    instance.addHook('onRoute', (route: { url: string; errorHandler?: any; preParsing?: unknown; config?: Record<string, unknown> }) => {
      if (!endpoints(route.url)) {
        const mark = route.config?.[OAUTH_BEARER_ROUTE];
        if (mark === undefined) return;
        const own = route.errorHandler;
        route.errorHandler = function (this: unknown, error: unknown, request: unknown, reply: unknown) {
          const failure = bearerRoutes.protects(mark) ? (platformBodyError(error) ?? fastifyParserException(error)) : undefined;
          if (failure) return write(reply, bearer(failure, mark));
          if (typeof own === 'function') return own.call(this, error, request, reply);
          throw error;
        };
        return;
      }
      route.preParsing = [route.preParsing ?? [], refuseUndecodableBody].flat();
      route.errorHandler = (error: unknown, _request: unknown, reply: unknown) => {
        const oauth = error instanceof OAuthError ? error : bodyError(error);
        if (!oauth) throw error;
        write(reply, asRegistrationError(route.url, oauth));
      };
    });
  } else if (typeof instance?.use === 'function') {
    // Express: error middleware placed after the body parsers and before Nest's own error handler.
    instance.use((error: unknown, req: { path: string; method: string }, res: unknown, next: (error: unknown) => void) => {
      if (endpoints(req.path)) {
        const oauth = bodyError(error);
        if (oauth) return write(res, asRegistrationError(req.path, oauth));
        return next(error);
      }
      const failure = platformBodyError(error);
      const mark = failure
        ? expressRouteHandlers(instance, req.method, req.path)
            .map((h) => BearerRoutes.markOf(h))
            .find((m) => bearerRoutes.protects(m))
        : undefined;
      if (failure && mark) write(res, bearer(failure, mark));
      else next(error);
    });
  }
}

/**
 * A body refused on the registration endpoint is bad client metadata (RFC 7591 §3.2.2
 * `invalid_client_metadata`), not a malformed OAuth request: its body is JSON, never a form.
 */
function asRegistrationError(path: string, error: OAuthError): OAuthError {
  if (!/\/register(?:\/[^/]*)?\/?$/.test(path.split('?')[0]) || !(error instanceof InvalidRequestError)) return error;
  const description =
    error.status === 413
      ? 'The client metadata is too large'
      : 'The request body must be a JSON object of client metadata (RFC 7591 section 3.1)';
  return new InvalidClientMetadataError(description, { status: error.status, cause: error });
}

/** Fastify `preParsing` hook: Express's parsers refuse what this refuses (see `assertDecodableBody`). */
async function refuseUndecodableBody(request: { headers: IncomingHttpHeaders }, _reply: unknown, payload: unknown): Promise<unknown> {
  assertDecodableBody(request.headers);
  return payload;
}

/**
 * The OAuth error for a request the platform refused before a controller ran — a body it could not
 * parse (Express's body-parser marks these with `type`, Fastify's content-type parser with an
 * `FST_ERR_CTP_` code), or a path it could not decode — or undefined for any other error. These are
 * the client's fault: `invalid_request` (RFC 6749 §5.2), keeping the platform's 4xx status.
 */
export function bodyError(error: unknown): OAuthError | undefined {
  return requestError(error, true);
}

/**
 * `bodyError` for the host's routes: only what the platform refused before routing (a body, an
 * encoding, a path parameter), never an exception a host's own code raised.
 */
export function platformBodyError(error: unknown): OAuthError | undefined {
  return requestError(error, false);
}

/**
 * On Fastify, Nest's own form parser refuses a `__proto__` field with a `BadRequestException`. Only
 * the platform's lifecycle (parsers, hooks) reaches a route's error handler, never the handler's
 * exceptions (Nest answers those), so a 400, 413 or 415 exception there is a body the platform refused.
 */
function fastifyParserException(error: unknown): OAuthError | undefined {
  const status =
    typeof (error as { getStatus?: unknown })?.getStatus === 'function' ? (error as { getStatus: () => number }).getStatus() : 0;
  return [400, 413, 415].includes(status) ? bodyError(error) : undefined;
}

function requestError(error: unknown, nestExceptions: boolean): OAuthError | undefined {
  if (error instanceof OAuthError) return undefined;
  const e = error as {
    type?: unknown;
    code?: unknown;
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    errno?: unknown;
    message?: unknown;
    getStatus?: () => number;
  };
  const fromPlatform =
    typeof e?.type === 'string' || // Express body-parser
    isDecompressionError(e) ||
    (typeof e?.code === 'string' && e.code.startsWith('FST_ERR_')) || // Fastify
    (nestExceptions && typeof e?.getStatus === 'function') || // a Nest HttpException raised in our endpoint's scope
    (typeof e?.message === 'string' && e.message.startsWith('Failed to decode param')); // Express router
  if (!fromPlatform) return undefined;
  const status = typeof e.getStatus === 'function' ? e.getStatus() : Number(e.statusCode ?? e.status);
  if (!(status >= 400 && status < 500)) return undefined;
  if (status === 413) return new InvalidRequestError('The request body is too large', { status, cause: error });
  // Express leaves a body of an unknown media type unread and the endpoint then answers 400: do the same on Fastify.
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new InvalidRequestError('The request body must be application/x-www-form-urlencoded', { cause: error });
  }
  if (status === 415) return new InvalidRequestError(UNDECODABLE_BODY, { status, cause: error });
  if (isDecompressionError(e)) {
    return new InvalidRequestError('The request body could not be decoded with its Content-Encoding', { status, cause: error });
  }
  return new InvalidRequestError('The request could not be parsed', { status, cause: error });
}

/**
 * body-parser's failure to inflate a gzip, deflate or brotli body: the zlib error itself (a string
 * `code` such as `Z_DATA_ERROR` or `ERR__ERROR_FORMAT_PADDING_2`, a numeric `errno`), given a status
 * by http-errors but, unlike its other errors, no `type`.
 */
function isDecompressionError(e: { code?: unknown; errno?: unknown; expose?: unknown } | undefined): boolean {
  return typeof e?.code === 'string' && typeof e.errno === 'number' && typeof e.expose === 'boolean';
}

/**
 * A matcher for the full paths of `controllers` mounted under `prefix` and of `rootControllers`,
 * whatever global prefix or version segment the host puts in front of them.
 */
export function endpointPaths(prefix: string, controllers: Type[], rootControllers: Type[]): (path: string) => boolean {
  const suffixes: string[] = [];
  const add = (base: string, controller: Type) => {
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const paths: unknown = Reflect.getMetadata(PATH_METADATA, controller.prototype[name]);
      for (const path of [paths].flat()) if (typeof path === 'string' && path !== '/') suffixes.push(join(base, path));
    }
  };
  for (const controller of controllers) add(prefix, controller);
  for (const controller of rootControllers) add('', controller);
  const literal = suffixes.map((s) => s.split('/:')[0]); // a parameterised path is matched by its fixed start
  return (path) => {
    const clean = path.split('?')[0].replace(/\/+$/, '');
    return literal.some((suffix) => clean.endsWith(suffix) || clean.includes(`${suffix}/`));
  };
}

function join(base: string, path: string): string {
  return `/${[base, path]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}
