/**
 * An https URL without user information: what a client's logo and home page (RFC 7591 §2 `logo_uri`,
 * `client_uri`) and a page theme's logo must be, since the pages load or link them for every user.
 */
export function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
