import { join } from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import hbs from 'hbs';
import { TypeOrmSessionStore } from '../database/typeorm-session.store';
import { registerHelpers, sampleRoot, sessionCookie, SESSIONS_UNAVAILABLE, type WebSetup } from './app-setup';
import { render } from './page-response';
import { securityHeaders } from './web-security';

/** `setUpWebApp` on Express: hbs views, serve-static, express-session. */
export function setUpExpressWebApp(nestApp: INestApplication, setup: WebSetup): void {
  const app = nestApp as NestExpressApplication;
  const root = sampleRoot();
  const engine = hbs.create();
  registerHelpers(engine);
  app.engine('hbs', engine.__express);
  app.setViewEngine('hbs');
  app.setBaseViewsDir(join(root, 'views', setup.name));
  app.set('view options', { layout: 'layout' });
  app.useStaticAssets(join(root, 'public'), { prefix: '/static/', maxAge: '1h' });
  app.use(securityHeaders);
  const cookie = sessionCookie(setup);
  const sessions = session({
    name: cookie.name,
    secret: cookie.secret,
    store: new TypeOrmSessionStore(setup.sessions, setup.sessionTtlSeconds * 1000),
    resave: false,
    saveUninitialized: false,
    // `proxy` left unset follows `trust proxy`: X-Forwarded-Proto counts only from a trusted hop.
    cookie: cookie.options,
  });
  const logger = new Logger('Sessions');
  app.use((req: Request, res: Response, next: NextFunction) =>
    sessions(req, res, (err?: unknown) => {
      if (!err) return next();
      logger.error(`session store unavailable: ${err instanceof Error ? err.message : String(err)}`);
      res.setHeader('Retry-After', String(SESSIONS_UNAVAILABLE.retryAfterSeconds));
      render(res, 'error', SESSIONS_UNAVAILABLE.locals, SESSIONS_UNAVAILABLE.status).catch(next);
    }),
  );
}
