import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { SessionRow } from '../database/session.entities';
import { isFastifyApp } from './http-platform';

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
  /** Signs the session cookie (SESSION_SECRET); unset = a random key per process. */
  sessionSecret?: string;
}

/** The session cookie both platforms set, in the same format (express-session's signed `s:` value). */
export interface SessionCookie {
  name: 'shift_sid' | 'customapp_sid';
  /**
   * The session id is 192 random bits and looked up in the database; the signature is defence in
   * depth. Set SESSION_SECRET so sessions survive a restart and work across instances.
   */
  secret: string;
  /** HttpOnly and SameSite=Lax always; Secure when the app's public URL is https. */
  options: { httpOnly: true; sameSite: 'lax'; secure: boolean; maxAge: number; path: '/' };
}

export function sessionCookie(setup: WebSetup): SessionCookie {
  return {
    name: setup.name === 'shift' ? 'shift_sid' : 'customapp_sid',
    secret: setup.sessionSecret || randomBytes(32).toString('hex'),
    options: {
      httpOnly: true,
      sameSite: 'lax',
      secure: setup.publicUrl.startsWith('https:'),
      maxAge: setup.sessionTtlSeconds * 1000,
      path: '/',
    },
  };
}

/**
 * The page for a session that cannot be read (the database is unreachable): "try again", as the
 * OAuth endpoints answer 503 temporarily_unavailable, never a 500. The cause is logged, never shown.
 */
export const SESSIONS_UNAVAILABLE = {
  status: 503,
  retryAfterSeconds: 5,
  locals: {
    title: 'Temporarily unavailable',
    message: 'We cannot reach our database right now. Please try again in a few seconds.',
  },
};

/** The Handlebars helpers the templates use, on either platform's engine. */
export function registerHelpers(engine: { registerHelper(name: string, helper: (...args: any[]) => unknown): void }): void {
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
}

/**
 * Server-rendered pages (Handlebars, which HTML-escapes every `{{value}}`), the shared stylesheet,
 * security headers, and a database-backed session cookie: HttpOnly, SameSite=Lax, Secure under https.
 * Each platform gets its own well-known plugins for these; the pages see no difference.
 */
export async function setUpWebApp(app: INestApplication, setup: WebSetup): Promise<void> {
  if (isFastifyApp(app)) await (await import('./fastify-web-setup.js')).setUpFastifyWebApp(app, setup);
  else (await import('./express-web-setup.js')).setUpExpressWebApp(app, setup);
}
