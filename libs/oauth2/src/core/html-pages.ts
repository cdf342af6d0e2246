import type { ConsentView } from './oauth-interaction';
import type { OAuthResponse } from './oauth-response';

/**
 * The built-in HTML of the authorization endpoint: the consent page and the error page shown when
 * the client or its redirect URI cannot be trusted (RFC 6749 §4.1.2.1). Every interpolated string
 * goes through `escapeHtml` — client names come from registrations and must render as text.
 */

/** Escape text for an HTML element body or a double-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers of every HTML page: never framed (clickjacking, RFC 6749 §10.13), never cached, no
 * Referer leaking the authorization request. `strict` adds a CSP that forbids every resource the
 * built-in pages do not use; a host-rendered page gets `default-src 'self'` so its own assets load.
 */
export function htmlHeaders(strict: boolean): Record<string, string> {
  const csp = strict
    ? "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
    : "default-src 'self'; base-uri 'none'; frame-ancestors 'none'";
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  };
}

/** An HTML response with the page headers (plus `extra`, e.g. the CSRF cookie). */
export function htmlResponse(status: number, html: string, strict = true, extra: Record<string, string | string[]> = {}): OAuthResponse {
  return { status, headers: { ...htmlHeaders(strict), ...extra }, body: html };
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  'button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}li{margin:.35rem 0}';

function page(title: string, content: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${content}</body></html>`
  );
}

/**
 * The built-in consent page: names the client, lists each scope with its description and the APIs
 * (resources, RFC 8707) the access is for, by name with the identifier beside it, posts allow or deny. Scopes approved before are listed apart from new ones, so a step-up shows what changes and a
 * repeated request (a public client, RFC 8252 §8.6) says it is a repeat.
 */
export function renderConsentPage(view: ConsentView): string {
  const client = escapeHtml(view.client.name);
  const user = escapeHtml(view.user.name ?? view.user.id);
  const item = (s: ConsentView['scopes'][number], mark = '') =>
    `<li><strong>${escapeHtml(s.name)}</strong>: ${escapeHtml(s.description)}${mark}</li>`;
  const fresh = view.scopes.filter((s) => !s.alreadyApproved);
  const approved = view.scopes.filter((s) => s.alreadyApproved);
  let scopes: string;
  if (!approved.length) {
    scopes = `<p>Signed in as ${user}. <span class="client">${client}</span> asks to:</p><ul>${fresh.map((s) => item(s)).join('')}</ul>`;
  } else if (!fresh.length) {
    scopes =
      `<p>Signed in as ${user}. You already allowed <span class="client">${client}</span> to:</p>` +
      `<ul class="approved">${approved.map((s) => item(s)).join('')}</ul>` +
      `<p>It asks again: allow only if you just started signing in to <span class="client">${client}</span> yourself.</p>`;
  } else {
    scopes =
      `<p>Signed in as ${user}. <span class="client">${client}</span> asks for more access:</p>` +
      `<ul class="new">${fresh.map((s) => item(s, ' <em>New</em>')).join('')}</ul>` +
      `<p>You already allowed:</p><ul class="approved">${approved.map((s) => item(s)).join('')}</ul>`;
  }
  const resources = view.resources ?? [];
  const names = (r: ConsentView['resources'][number]) =>
    r.name === r.id
      ? `<strong>${escapeHtml(r.id)}</strong>`
      : `<strong>${escapeHtml(r.name)}</strong> <small>(${escapeHtml(r.id)})</small>`;
  const apis = resources.length
    ? `<p class="resources">${resources.length === 1 ? 'At' : 'At each of'}: ${resources.map(names).join(', ')}</p>`
    : '';
  const hidden = Object.entries(view.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return page(
    `Authorize ${view.client.name}`,
    `<h1>Authorize <span class="client">${client}</span></h1>` +
      scopes +
      apis +
      `<form method="post" action="${escapeHtml(view.action)}">${hidden}` +
      `<button type="submit" name="decision" value="allow">Allow</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

/** The error page for requests that must not be redirected (bad client or redirect URI, CSRF failure). */
export function renderErrorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
