import type { ServerSettings } from '../server-settings';
import type { Clock } from '../clock';
import { htmlResponse, renderConsentPage } from '../html-pages';
import type { ConsentView, OAuthInteraction, OAuthUser } from '../oauth-interaction';
import type { OAuthRequest } from '../oauth-request';
import type { OAuthResponse } from '../oauth-response';
import type { ConsentCsrf } from '../protocol/csrf';
import { DEFAULT_PAGE_SETTINGS } from '../pages/page-theme';
import { registrationKindOf } from '../../stores/models';
import { isLoopbackHost } from '../protocol/redirect-uri';
import { requestParams, type AuthorizationRequest } from './authorization-request';

/** Name of the cookie that binds a consent form to the browser that was shown it. */
export const CONSENT_COOKIE = 'oauth_consent';
/** Name of the hidden form field carrying the CSRF token. */
export const CSRF_FIELD = 'csrf_token';

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/** What the consent form needs. @publicApi */
export interface ConsentFormDeps {
  options: ServerSettings;
  csrf: ConsentCsrf;
  clock: Clock;
}

/**
 * The consent form: renders it (built-in page or the host's `renderConsent`) with its CSRF cookie
 * and token, and checks a posted decision against them (RFC 6749 §10.12). See `ConsentCsrf` for the design.
 */
export class ConsentForm {
  constructor(private readonly deps: ConsentFormDeps) {}

  /**
   * The consent page for a validated request, with the cookie set (or kept) and the form token bound
   * to it; `approved` are the scopes the user approved for this client before, which the page marks.
   */
  async render(
    request: AuthorizationRequest,
    user: OAuthUser,
    req: OAuthRequest,
    interaction: OAuthInteraction,
    approved: readonly string[] = [],
  ): Promise<OAuthResponse> {
    const existing = req.cookies[CONSENT_COOKIE];
    const cookie = existing && COOKIE_VALUE.test(existing) ? existing : this.deps.csrf.newCookieValue();
    const fields: Record<string, string> = {};
    for (const name of this.boundParams()) {
      const value = request.params[name];
      if (value !== undefined) fields[name] = value;
    }
    fields[CSRF_FIELD] = this.deps.csrf.token(cookie, user.id, this.canonical(request.params)!, this.deps.clock.now());
    const url = new URL(req.url, 'http://localhost');
    const view: ConsentView = {
      client: { id: request.client.id, name: request.client.name, logoUri: request.client.logoUri, clientUri: request.client.clientUri },
      user,
      scopes: request.scopes.map((name) => ({
        name,
        description: this.deps.options.scopes[name] ?? name,
        alreadyApproved: approved.includes(name),
      })),
      resources: request.resources.map((id) => ({ id, name: this.deps.options.resources[id]?.name ?? id })),
      action: url.pathname,
      fields,
      registration: registrationKindOf(request.client),
      // A request may leave out redirect_uri when one is registered (RFC 6749 §3.1.2.3): name that one.
      redirectHost: redirectHost(request.redirectUri ?? request.client.redirectUris[0]),
      ...(registrationKindOf(request.client) === 'url' ? { clientIdHost: new URL(request.client.id).host } : {}),
      loopbackOnly: request.client.redirectUris.length > 0 && request.client.redirectUris.every(isLoopbackRedirect),
      switchAccountUrl: interaction.switchAccountUrl(url.pathname + url.search, req),
      ...(request.openid?.uiLocales ? { uiLocales: [...request.openid.uiLocales] } : {}),
    };
    const custom = await interaction.renderConsent(view, req);
    const setCookie = `${CONSENT_COOKIE}=${cookie}; Path=${view.action}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;
    const pages = this.deps.options.pages ?? DEFAULT_PAGE_SETTINGS;
    return htmlResponse(200, custom ?? renderConsentPage(view, pages), custom === undefined, { 'Set-Cookie': setCookie }, [
      pages.logoUrl,
      view.client.logoUri,
    ]);
  }

  /** True when the posted form carries a valid token for this browser, this user and exactly these parameters. */
  verify(req: OAuthRequest, userId: string): boolean {
    const token = req.body[CSRF_FIELD];
    const pending = this.canonical(req.body);
    if (typeof token !== 'string' || pending === undefined) return false;
    return this.deps.csrf.verify(token, req.cookies[CONSENT_COOKIE], userId, pending, this.deps.clock.now());
  }

  /** Every parameter the token binds: the request's (with the OpenID Connect ones while that is on) and the configured passthrough ones. */
  private boundParams(): string[] {
    return [...requestParams(this.deps.options), ...this.deps.options.passthroughParams];
  }

  /** One string for the pending request (undefined if a value is not a single string, e.g. repeated). */
  private canonical(source: Readonly<Record<string, unknown>>): string | undefined {
    const values: (string | null)[] = [];
    for (const name of this.boundParams()) {
      const value = source[name];
      if (value === undefined || value === '') values.push(null);
      else if (typeof value === 'string') values.push(value);
      else return undefined;
    }
    return JSON.stringify(values);
  }
}

/** True for an http redirect URI on a loopback host (RFC 8252 §7.3). */
function isLoopbackRedirect(uri: string): boolean {
  try {
    const parsed = new URL(uri);
    return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}

/** What the page names as the destination: the redirect URI's host, or a native app's scheme (RFC 8252 §7.1). */
function redirectHost(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    const parsed = new URL(uri);
    return parsed.host || parsed.protocol.replace(/:$/, '');
  } catch {
    return undefined;
  }
}
