import { join } from 'node:path';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter, type INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie, { Signer } from '@fastify/cookie';
import fastifySession, { type SessionStore } from '@fastify/session';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import Handlebars from 'handlebars';
import { TypeOrmSessionStore } from '../database/typeorm-session.store';
import { registerHelpers, sampleRoot, sessionCookie, SESSIONS_UNAVAILABLE, type WebSetup } from './app-setup';
import { render, setHeader } from './page-response';
import { SECURITY_HEADERS } from './web-security';

/**
 * `setUpWebApp` on Fastify: @fastify/view with the same Handlebars templates and layout,
 * @fastify/static, and @fastify/session on the same TypeORM table, with express-session's cookie
 * format. Form bodies need nothing here: Nest's Fastify adapter registers @fastify/formbody itself.
 */
export async function setUpFastifyWebApp(nestApp: INestApplication, setup: WebSetup): Promise<void> {
  const app = nestApp as NestFastifyApplication;
  const root = sampleRoot();
  // On every answer (a page, a redirect, an error or a 404) unless the route set its own, as on
  // Express where they are set first; a stylesheet served keeps its own caching, as on Express
  // where the static files are served before them.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      if (request.url.startsWith('/static/') && reply.statusCode < 400) return;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    });
  await app.register(fastifyStatic, { root: join(root, 'public'), prefix: '/static/', maxAge: '1h' });
  const engine = Handlebars.create();
  registerHelpers(engine);
  await app.register(fastifyView, { engine: { handlebars: engine }, root: join(root, 'views', setup.name), layout: 'layout' });
  await app.register(fastifyCookie);
  const cookie = sessionCookie(setup);
  await app.register(fastifySession, {
    cookieName: cookie.name,
    // A signer rather than the bare secret: SESSION_SECRET has no length rule on Express either.
    secret: new Signer(cookie.secret, 'sha256'),
    // express-session's `s:` prefix: a cookie has the same form on both platforms.
    cookiePrefix: 's:',
    store: reportingUnavailable(new TypeOrmSessionStore(setup.sessions, setup.sessionTtlSeconds * 1000)),
    saveUninitialized: false,
    // As express-session with `resave: false`: a session is written when it changed, not on every request.
    rolling: false,
    cookie: cookie.options,
  });
  app.useGlobalFilters(new SessionsUnavailableFilter());
}

/** A session store read that failed: the database is unreachable. */
class SessionsUnavailableError extends Error {}

/**
 * The store with its read failures marked: @fastify/session fails the request with the store's
 * error, before any controller, so only a global filter sees it.
 */
function reportingUnavailable(store: TypeOrmSessionStore): SessionStore {
  return {
    get: (sid, done) =>
      store.get(sid, (err, data) =>
        err ? done(new SessionsUnavailableError(err instanceof Error ? err.message : String(err))) : done(null, data as never),
      ),
    set: (sid, data, done) => store.set(sid, data as never, done),
    destroy: (sid, done) => store.destroy(sid, done),
  };
}

/** The "try again" page for a session that cannot be read, as Express's session middleware answers. */
@Catch(SessionsUnavailableError)
class SessionsUnavailableFilter implements ExceptionFilter {
  private readonly logger = new Logger('Sessions');

  async catch(error: SessionsUnavailableError, host: ArgumentsHost): Promise<void> {
    this.logger.error(`session store unavailable: ${error.message}`);
    const res = host.switchToHttp().getResponse<object>();
    setHeader(res, 'Retry-After', String(SESSIONS_UNAVAILABLE.retryAfterSeconds));
    await render(res, 'error', SESSIONS_UNAVAILABLE.locals, SESSIONS_UNAVAILABLE.status);
  }
}
