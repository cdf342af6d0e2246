import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where a test's SHIFT Files listens: a free port, and the URL (its resource identifier) on it. */
export async function filesAt(): Promise<{ filesPort: number; filesUrl: string }> {
  const filesPort = await freePort();
  return { filesPort, filesUrl: `http://localhost:${filesPort}` };
}

/**
 * A port nobody listens on, for an app a test starts, picked below the range the kernel hands out
 * for outgoing connections. A port from `listen(0)` lies in that range, and under load it became the
 * local end of some other connection before the app bound it (EADDRINUSE in CI).
 */
export async function freePort(): Promise<number> {
  const below = ephemeralRangeStart();
  for (;;) {
    const port = 10000 + Math.floor(Math.random() * (below - 10000));
    if (await canListen(port)) return port;
  }
}

function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Math.min(start || 32768, 32768);
  } catch {
    return 32768; // not Linux: the IANA dynamic range starts higher still (49152)
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Undoes Handlebars' HTML escaping of an attribute value. */
export function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden inputs of the first form in `html` whose tag matches `formPattern`, plus its action. */
export function readForm(html: string, formPattern = /<form[^>]*>/): { action: string; fields: Record<string, string> } {
  const start = html.search(formPattern);
  if (start < 0) throw new Error('form not found');
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end);
  const action = unescapeHtml(/action="([^"]*)"/.exec(form)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(match[1])] = unescapeHtml(match[2]);
  }
  return { action, fields };
}

/** A PKCE pair (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A browser without a browser: fetch with a cookie jar and no automatic redirects, so a test sees
 * each hop. Cookies are kept by name, as a browser does for one host (ports do not separate cookies).
 */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  /** `form` is posted urlencoded; a list value repeats its field, as checkboxes of one name do. */
  async request(url: string, init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form
        ? new URLSearchParams(Object.entries(init.form).flatMap(([k, v]) => [v].flat().map((one) => [k, one]))).toString()
        : undefined,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, headers: response.headers, text: await response.text(), setCookies: response.headers.getSetCookie() };
  }
}
