import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import hbs from 'hbs';
import type { Repository } from 'typeorm';
import type { SessionRow } from '../database/session.entities';
import { TypeOrmSessionStore } from '../database/typeorm-session.store';
import type { TrustProxy } from '../sample-config';
import { securityHeaders } from './web-security';

/** apps/sample, found from the compiled file's location (views and the stylesheet are not compiled). */
export function sampleRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'apps', 'sample', 'views'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('apps/sample/views not found above ' + __dirname);
    dir = parent;
  }
  return join(dir, 'apps', 'sample');
}

export interface WebSetup {
  /** 'shift' or 'customapp': the views folder and the cookie name. */
  name: 'shift' | 'customapp';
  /** The app's public base URL: https there turns on Secure cookies. */
  publicUrl: string;
  sessions: Repository<SessionRow>;
  sessionTtlSeconds: number;
  /** Express `trust proxy`: the peers whose X-Forwarded-* headers are believed (TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** Signs the session cookie (SESSION_SECRET); unset = a random key per process. */
  sessionSecret?: string;
}

/**
 * Server-rendered pages (Handlebars, which HTML-escapes every `{{value}}`), the shared stylesheet,
 * security headers, and a database-backed session cookie: HttpOnly, SameSite=Lax, Secure under https.
 */
export function setUpWebApp(app: NestExpressApplication, setup: WebSetup): void {
  const root = sampleRoot();
  const engine = hbs.create();
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  app.engine('hbs', engine.__express);
  app.setViewEngine('hbs');
  app.setBaseViewsDir(join(root, 'views', setup.name));
  app.set('view options', { layout: 'layout' });
  app.useStaticAssets(join(root, 'public'), { prefix: '/static/', maxAge: '1h' });
  // Off unless configured: a forwarded address from any other peer is the client's own choice.
  app.set('trust proxy', setup.trustProxy);
  app.disable('x-powered-by');
  app.use(securityHeaders);
  const secure = setup.publicUrl.startsWith('https:');
  const sessions = session({
    name: setup.name === 'shift' ? 'shift_sid' : 'customapp_sid',
    // The session id is 192 random bits and looked up in the database; the signature is defence in
    // depth. Set SESSION_SECRET so sessions survive a restart and work across instances.
    secret: setup.sessionSecret || randomBytes(32).toString('hex'),
    store: new TypeOrmSessionStore(setup.sessions, setup.sessionTtlSeconds * 1000),
    resave: false,
    saveUninitialized: false,
    // `proxy` left unset follows `trust proxy`: X-Forwarded-Proto counts only from a trusted hop.
    cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: setup.sessionTtlSeconds * 1000, path: '/' },
  });
  const logger = new Logger('Sessions');
  // A session that cannot be read (the database is unreachable) gets a "try again" page, as the
  // OAuth endpoints answer 503 temporarily_unavailable: never a 500. The cause is logged, never shown.
  app.use((req: Request, res: Response, next: NextFunction) =>
    sessions(req, res, (err?: unknown) => {
      if (!err) return next();
      logger.error(`session store unavailable: ${err instanceof Error ? err.message : String(err)}`);
      res.status(503).setHeader('Retry-After', '5').setHeader('Cache-Control', 'no-store');
      res.render('error', {
        title: 'Temporarily unavailable',
        message: 'We cannot reach our database right now. Please try again in a few seconds.',
      });
    }),
  );
}
