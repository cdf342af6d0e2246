import { createHmac } from 'node:crypto';
import { constantTimeEqual, randomToken } from './credentials';

/**
 * CSRF protection of the consent form (RFC 6749 §10.12), a signed double-submit design:
 * - when the consent page is shown, the browser gets a random HttpOnly, SameSite=Lax cookie (kept if
 *   it already has one, so two tabs work);
 * - the form carries `issuedAt.HMAC(key, cookie | user id | pending request | issuedAt)`;
 * - the decision is accepted only when the HMAC recomputed from the posted cookie, the logged-in
 *   user and the posted request matches, and the token is younger than `maxAgeSeconds`.
 * A cross-site page can neither read the cookie nor forge the HMAC, and a token minted for one user
 * or one request is useless for another. The key is per process unless configured (`secret`).
 */
export class ConsentCsrf {
  constructor(
    private readonly key: string | Buffer,
    private readonly maxAgeSeconds = 1800,
  ) {}

  /** A fresh cookie value. */
  newCookieValue(): string {
    return randomToken();
  }

  /** The form token binding `cookie`, `userId` and the canonical pending request. */
  token(cookie: string, userId: string, pending: string, now: Date): string {
    const issuedAt = Math.floor(now.getTime() / 1000);
    return `${issuedAt}.${this.mac(cookie, userId, pending, issuedAt)}`;
  }

  /** True when `token` was minted by `token()` for exactly these inputs and has not expired. */
  verify(token: string | undefined, cookie: string | undefined, userId: string, pending: string, now: Date): boolean {
    if (!token || !cookie) return false;
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return false;
    const issuedAt = Number(match[1]);
    const age = now.getTime() / 1000 - issuedAt;
    if (age < -60 || age > this.maxAgeSeconds) return false;
    return constantTimeEqual(match[2], this.mac(cookie, userId, pending, issuedAt));
  }

  private mac(cookie: string, userId: string, pending: string, issuedAt: number): string {
    // JSON keeps the fields unambiguous: no separator inside a value can shift a boundary.
    return createHmac('sha256', this.key)
      .update(JSON.stringify([cookie, userId, pending, issuedAt]))
      .digest('base64url');
  }
}
