import type { ClientRegistrationKind } from '../stores/models';
import type { ConsentView, ErrorView, OAuthInteraction } from './oauth-interaction';
import type { OAuthRequest } from './oauth-request';
import type { OAuthResponse } from './oauth-response';
import { DEFAULT_PAGE_SETTINGS, pageStyle, type PageSettings } from './pages/page-theme';

/**
 * The built-in HTML of the authorization endpoint: the consent page and the error page shown when
 * the client or its redirect URI cannot be trusted (RFC 6749 §4.1.2.1). Every interpolated string
 * goes through `escapeHtml` — client names come from registrations and must render as text. The
 * pages run no script; their look comes from one inline style sheet themed by `pages`.
 */

/** Escape text for an HTML element body or a double-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers of every HTML page: never framed (clickjacking, RFC 6749 §10.13), never cached, no
 * Referer leaking the authorization request. `strict` adds a CSP that forbids every resource the
 * built-in pages do not use (images only from the origins of the product's and the client's logos); a host-rendered page
 * gets `default-src 'self'` so its own assets load, plus the same logo origins for images, since a
 * consent page is expected to show the client's logo (an https URL the registry checked).
 */
export function htmlHeaders(strict: boolean, imageOrigins?: string): Record<string, string> {
  const images = imageOrigins ? `; img-src ${imageOrigins}` : '';
  const csp = strict
    ? `default-src 'none'; style-src 'unsafe-inline'${images}; base-uri 'none'; frame-ancestors 'none'`
    : `default-src 'self'${imageOrigins ? `; img-src 'self' ${imageOrigins}` : ''}; base-uri 'none'; frame-ancestors 'none'`;
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
export function htmlResponse(
  status: number,
  html: string,
  strict = true,
  extra: Record<string, string | string[]> = {},
  images: readonly (string | undefined)[] = [],
): OAuthResponse {
  const origins = [...new Set(images.filter((url) => url !== undefined).map((url) => new URL(url).origin))];
  const imageOrigins = origins.length ? origins.join(' ') : undefined;
  return { status, headers: { ...htmlHeaders(strict, imageOrigins), ...extra }, body: html };
}

/** A whole built-in page: `content` (already escaped markup) in the themed frame, under `title` (text). */
export function renderPage(title: string, content: string, settings: PageSettings): string {
  const logo = settings.logoUrl ? `<img src="${escapeHtml(settings.logoUrl)}" alt="">` : '';
  const brand =
    logo || settings.productName
      ? `<header class="brand">${logo}${settings.productName ? `<span>${escapeHtml(settings.productName)}</span>` : ''}</header>`
      : '';
  const suffix = settings.productName ? ` – ${settings.productName}` : '';
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="color-scheme" content="light dark"><title>${escapeHtml(title + suffix)}</title>` +
    `<style>${pageStyle(settings)}</style></head><body><main>${brand}${content}</main></body></html>`
  );
}

/** One scope: its description in words, the identifier beside it as code. */
function scopeItem(scope: ConsentView['scopes'][number], mark = ''): string {
  return `<li><span class="scope">${escapeHtml(scope.description)}</span>${mark} <code>${escapeHtml(scope.name)}</code></li>`;
}

/** What the consent page says about who registered the client; static text, nothing from the client. */
const REGISTRATION_NOTES: Record<ClientRegistrationKind, string> = {
  operator: 'This app was registered by the operators of this service.',
  developer: 'This app was registered by an outside developer; this service has not reviewed it.',
  dynamic: 'This app registered itself; nobody at this service has reviewed it.',
  url: 'This app is known only by its web address; nobody at this service has reviewed it.',
};

/**
 * The built-in consent page: names the client and who is signed in (with a way to switch account
 * when the host has one), lists each scope by its description with its identifier beside it, the
 * APIs (resources, RFC 8707) the access is for, where the browser goes next, and posts allow or deny
 * — Allow the primary action, first in tab order. Scopes approved before are listed apart from new
 * ones, so a step-up shows what changes and a repeated request (a public client, RFC 8252 §8.6)
 * says it is a repeat.
 */
export function renderConsentPage(view: ConsentView, settings: PageSettings = DEFAULT_PAGE_SETTINGS): string {
  const client = `<strong class="client">${escapeHtml(view.client.name)}</strong>`;
  const user = escapeHtml(view.user.name ?? view.user.id);
  const switchLink = view.switchAccountUrl ? ` <a href="${escapeHtml(view.switchAccountUrl)}">Not you?</a>` : '';
  const fresh = view.scopes.filter((s) => !s.alreadyApproved);
  const approved = view.scopes.filter((s) => s.alreadyApproved);
  let scopes: string;
  if (!approved.length) {
    scopes = `<p>${client} asks to:</p><ul class="scopes">${fresh.map((s) => scopeItem(s)).join('')}</ul>`;
  } else if (!fresh.length) {
    scopes =
      `<p>You already allowed ${client} to:</p>` +
      `<ul class="scopes approved">${approved.map((s) => scopeItem(s)).join('')}</ul>` +
      `<p>It asks again: allow only if you just started signing in to ${client} yourself.</p>`;
  } else {
    scopes =
      `<p>${client} asks for more access:</p>` +
      `<ul class="scopes new">${fresh.map((s) => scopeItem(s, ' <em class="badge">New</em>')).join('')}</ul>` +
      `<p>You already allowed:</p><ul class="scopes approved">${approved.map((s) => scopeItem(s)).join('')}</ul>`;
  }
  const resources = view.resources ?? [];
  const names = (r: ConsentView['resources'][number]) =>
    r.name === r.id
      ? `<strong>${escapeHtml(r.id)}</strong>`
      : `<strong>${escapeHtml(r.name)}</strong> <small>(${escapeHtml(r.id)})</small>`;
  const apis = resources.length
    ? `<p class="resources">${resources.length === 1 ? 'At' : 'At each of'}: ${resources.map(names).join(', ')}</p>`
    : '';
  const provenance = `<p class="registration muted">${REGISTRATION_NOTES[view.registration] ?? REGISTRATION_NOTES.operator}</p>`;
  // A URL client's name is only what its document says; its host is what the server checked.
  const origin = view.clientIdHost
    ? `<p class="client-id-host">Identified by its web address: <strong>${escapeHtml(view.clientIdHost)}</strong></p>`
    : '';
  const loopback =
    view.clientIdHost && view.loopbackOnly
      ? `<p class="warning"><strong>Only continue if you just started this yourself.</strong> This app runs on your own computer, ` +
        `and its web address does not prove which program will receive the access.</p>`
      : '';
  const redirect = view.redirectHost
    ? `<p class="redirect muted">You will be sent back to <strong>${escapeHtml(view.redirectHost)}</strong>.</p>`
    : '';
  const hidden = Object.entries(view.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const logo = view.client.logoUri ? `<img class="client-logo" src="${escapeHtml(view.client.logoUri)}" alt="">` : '';
  const home = view.client.clientUri
    ? `<p class="muted">About ${escapeHtml(view.client.name)}: <a href="${escapeHtml(view.client.clientUri)}">${escapeHtml(hostOf(view.client.clientUri))}</a></p>`
    : '';
  return renderPage(
    `Authorize ${view.client.name}`,
    `<h1>${logo}Authorize ${client}</h1>` +
      origin +
      `<p class="user">Signed in as <strong>${user}</strong>.${switchLink}</p>` +
      loopback +
      scopes +
      apis +
      redirect +
      provenance +
      home +
      `<form method="post" action="${escapeHtml(view.action)}">${hidden}<div class="actions">` +
      `<button type="submit" class="primary" name="decision" value="allow">Allow</button>` +
      `<button type="submit" class="secondary" name="decision" value="deny">Deny</button></div></form>`,
    settings,
  );
}

/**
 * The error page for requests that must not be redirected (bad client or redirect URI, ended
 * session, CSRF failure): what happened in words and, when the request can be started again, a way
 * to do so. Never the error's internals.
 */
export function renderErrorPage(view: ErrorView, settings: PageSettings = DEFAULT_PAGE_SETTINGS): string {
  const links = [
    view.retryUrl ? `<a class="button primary" href="${escapeHtml(view.retryUrl)}">Try again</a>` : '',
    view.client?.clientUri
      ? `<a class="button secondary" href="${escapeHtml(view.client.clientUri)}">Back to ${escapeHtml(view.client.name)}</a>`
      : '',
  ].join('');
  const retry = links
    ? `<div class="actions">${links}</div>`
    : `<p class="muted">Close this page and return to the application you came from.</p>`;
  return renderPage(view.title, `<h1>${escapeHtml(view.title)}</h1><p>${escapeHtml(view.message)}</p>${retry}`, settings);
}

/** The host of an https URL, for link text. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * An error page of an endpoint that shows pages: the host's `renderError`, or the built-in page when
 * the host returns undefined or its renderer fails (reported, never shown).
 */
export async function errorPageResponse(
  req: OAuthRequest,
  interaction: OAuthInteraction | undefined,
  view: ErrorView,
  pages: PageSettings = DEFAULT_PAGE_SETTINGS,
  reportError?: (error: unknown) => void,
): Promise<OAuthResponse> {
  let custom: string | undefined;
  try {
    custom = await interaction?.renderError(view, req);
  } catch (error) {
    reportError?.(error);
  }
  return htmlResponse(view.status, custom ?? renderErrorPage(view, pages), custom === undefined, {}, [pages.logoUrl]);
}
