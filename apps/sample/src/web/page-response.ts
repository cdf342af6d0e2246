import type { Session, SessionData } from 'express-session';
import './session-data';

/**
 * The request as the sample's pages read it, on Express and on Fastify alike: both parse the query
 * and form bodies into plain objects, and both give `ip` after their trust-proxy rule. The session
 * is express-session's or @fastify/session's: both keep the fields as plain properties and offer
 * `regenerate`, `save` and `destroy` with a callback.
 */
export interface PageRequest {
  session: Session & Partial<SessionData>;
  body?: Record<string, unknown>;
  query: Record<string, unknown>;
  ip?: string;
}

/**
 * The platform's response object (an Express `Response` or a Fastify `FastifyReply`), written only
 * through the functions below.
 */
export type PageResponse = object;

interface ExpressResponse {
  status(code: number): ExpressResponse;
  setHeader(name: string, value: string): void;
  render(view: string, locals: object, done: (err: Error | null, html?: string) => void): void;
  send(body: string): void;
  redirect(status: number, url: string): void;
  clearCookie(name: string, options: object): void;
  headersSent: boolean;
}

/** What @fastify/view and @fastify/cookie add to a Fastify reply, and the reply's own methods used here. */
interface FastifyReply {
  raw: { headersSent: boolean };
  sent: boolean;
  code(code: number): FastifyReply;
  header(name: string, value: string): FastifyReply;
  type(contentType: string): FastifyReply;
  send(body: string): void;
  redirect(url: string, code: number): void;
  viewAsync(view: string, locals: object): Promise<string>;
  clearCookie(name: string, options: object): void;
}

function isFastify(res: PageResponse): res is FastifyReply {
  return typeof (res as FastifyReply).code === 'function' && (res as FastifyReply).raw !== undefined;
}

/** Renders `view` (in the app's layout) with `status`; a template error rejects, so the page filter answers it. */
export async function render(res: PageResponse, view: string, locals: object, status = 200): Promise<void> {
  if (isFastify(res)) {
    const html = await res.viewAsync(view, locals);
    res.code(status).type('text/html; charset=utf-8').send(html);
    return;
  }
  const express = res as ExpressResponse;
  const html = await new Promise<string>((resolve, reject) =>
    express.render(view, locals, (err, out) => (err ? reject(err) : resolve(out ?? ''))),
  );
  express.status(status).send(html);
}

/** Redirects to `url` (a 302 unless `status` says otherwise; 303 after a form post). */
export function redirect(res: PageResponse, url: string, status = 302): void {
  if (isFastify(res)) res.redirect(url, status);
  else (res as ExpressResponse).redirect(status, url);
}

export function setHeader(res: PageResponse, name: string, value: string): void {
  if (isFastify(res)) res.header(name, value);
  else (res as ExpressResponse).setHeader(name, value);
}

/** Tells the browser to drop cookie `name` (set on path `/`). */
export function clearCookie(res: PageResponse, name: string): void {
  if (isFastify(res)) res.clearCookie(name, { path: '/' });
  else (res as ExpressResponse).clearCookie(name, { path: '/' });
}

/** True once the response has gone out (nothing more can be written). */
export function headersSent(res: PageResponse): boolean {
  return isFastify(res) ? res.sent || res.raw.headersSent : (res as ExpressResponse).headersSent;
}

/** Promisified `session.regenerate`: a new session id at login stops session fixation. */
export function regenerateSession(req: PageRequest): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
}

/**
 * Promisified `session.save`, before a redirect that the next request depends on. Only Express
 * needs it: @fastify/session writes a changed session before the response goes out (its `onSend`
 * hook), and a save of its own after a new session id would add a Set-Cookie clearing the cookie
 * ahead of the one setting it.
 */
export function saveSession(req: PageRequest): Promise<void> {
  if (typeof (req.session as { isModified?: unknown }).isModified === 'function') return Promise.resolve();
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}

/** Ends the session: its row is deleted whether or not that succeeds, the page goes on. */
export function destroySession(req: PageRequest): Promise<void> {
  return new Promise((resolve) => req.session.destroy(() => resolve()));
}

/**
 * `view` rendered to a string in the app's layout, for a page another module sends (SHIFT's consent
 * page): `req` is the platform's request, `OAuthRequest.raw`.
 */
export function renderToString(req: unknown, view: string, locals: object): Promise<string> {
  const fastify = (req as { server?: { view?: (view: string, locals: object) => Promise<string> } }).server;
  if (typeof fastify?.view === 'function') return fastify.view(view, locals);
  const app = (req as { app: { render(view: string, locals: object, done: (err: Error | null, html?: string) => void): void } }).app;
  return new Promise((resolve, reject) => app.render(view, locals, (err, html) => (err ? reject(err) : resolve(html ?? ''))));
}
