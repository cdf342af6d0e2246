import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { ForbiddenException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { PageRequest } from './page-response';

/** The session's CSRF token, created on first use. */
export function csrfToken(req: PageRequest): string {
  req.session.csrf ??= randomBytes(32).toString('base64url');
  return req.session.csrf;
}

/** Rejects a form post whose `_csrf` field does not match the session's token. */
export function assertCsrf(req: PageRequest): void {
  const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
  const expected = req.session.csrf ?? '';
  if (!expected || !sameSecret(sent, expected)) {
    throw new ForbiddenException('This form has expired. Go back, reload the page and try again.');
  }
}

/** Whether two secrets (a CSRF token, an OAuth `state`) are equal, in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Takes the one-time notice out of the session. */
export function takeNotice(req: PageRequest): string | undefined {
  const notice = req.session.notice;
  delete req.session.notice;
  return notice;
}

/** A local path to return to after login, or undefined: never another host (open-redirect defence). */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  return value;
}

/**
 * What a page may load: its own stylesheet and images, nothing else — no script at all, so markup
 * that slipped past escaping runs nothing — and it may be framed by nobody (clickjacking).
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Headers every page and redirect gets: the policy above, no framing, no sniffing, no referrer
 * (CustomApp's callback URL carries the code, so must its page's links and assets not send it),
 * and no caching: pages hold CSRF tokens, personal data, or a code in their URL.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** `SECURITY_HEADERS` as Express middleware. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  next();
}
