/**
 * The end-session endpoint of OpenID Connect RP-Initiated Logout 1.0: `GET` and `POST {prefix}/logout`.
 * - Parameters (§2): `id_token_hint`, `client_id`, `post_logout_redirect_uri`, `state`, `ui_locales`,
 *   `logout_hint`; each single-valued. The built-in pages are in English, so `ui_locales` and
 *   `logout_hint` are accepted and carried, not acted on.
 * - `id_token_hint` must be an ID token of this server (expired allowed); with `client_id` too, its
 *   `aud` must contain that client (§2). The client is `client_id`, else the hint's audience.
 * - `post_logout_redirect_uri` must exactly match one of that client's registered
 *   `postLogoutRedirectUris` (§3.1); without a known client, or on any mismatch, nothing is
 *   redirected (§4): the user sees an error page (400). `state` rides on the redirect (§3).
 * - A valid hint naming the signed-in user (or nobody signed in) signs out at once: the interaction's
 *   `endSession`, then the redirect or a "signed out" page. Otherwise the user confirms on a page first
 *   (§2: the OP SHOULD ask when it cannot tell the request is the user's own): its form posts back
 *   with a CSRF token bound to a cookie, the user and the request, as the consent form does.
 *   A registered `post_logout_redirect_uri` named with `client_id` is followed after that confirmation
 *   even without a hint: the exact match against the client's registration is the "other means of
 *   confirming the legitimacy" §2 asks for.
 * Bad input is an error page with a clear message, never a redirect and never a 500.
 */
import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import type { Clock } from '../clock';
import { asOAuthError } from '../error-response';
import { errorPageResponse, htmlResponse } from '../html-pages';
import type { SigningKeys } from '../keys/signing-keys';
import type { ErrorView, OAuthInteraction, OAuthUser } from '../oauth-interaction';
import type { OAuthRequest } from '../oauth-request';
import { redirectResponse, type OAuthResponse } from '../oauth-response';
import { InvalidRequestError } from '../oauth.errors';
import { DEFAULT_PAGE_SETTINGS } from '../pages/page-theme';
import { isClientIdSyntax } from '../protocol/client-id';
import type { ConsentCsrf } from '../protocol/csrf';
import { assertSecureTransport } from '../protocol/https-requirement';
import { singleValuedParams } from '../protocol/single-valued-params';
import type { ServerSettings } from '../server-settings';
import { renderLogoutConfirmation, renderSignedOutPage } from './end-session-pages';
import { hintClientId, verifyIdTokenHint, type IdTokenHint } from './id-token-hint';
import { subjectFor } from './subject';

/** The cookie that binds a sign-out confirmation to the browser that was shown it. */
export const LOGOUT_COOKIE = 'oauth_logout';
/** The hidden field carrying the confirmation's CSRF token; a POST with it is a confirmation. */
export const LOGOUT_CSRF_FIELD = 'csrf_token';

const LOGOUT_PARAMS = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state', 'ui_locales', 'logout_hint'] as const;
/** What the confirmation form posts back: the request, its client resolved; the hint has served its purpose. */
const FORM_PARAMS = ['client_id', 'post_logout_redirect_uri', 'state', 'ui_locales', 'logout_hint'] as const;
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface EndSessionDeps {
  options: ServerSettings;
  clients: Pick<ClientStore, 'findById'>;
  keys: Pick<SigningKeys, 'verificationKey'>;
  clock: Clock;
  csrf: ConsentCsrf;
  /** The host's interaction: who is signed in, and `endSession` to sign them out. */
  interaction?: OAuthInteraction;
  reportError?: (error: unknown) => void;
}

/** A checked logout request. */
interface LogoutTarget {
  client?: OAuthClient;
  hint?: IdTokenHint;
  /** The registered URI to return to, when one was asked for. */
  redirectUri?: string;
  /** The parameters the confirmation form carries. */
  fields: Record<string, string>;
}

/** OpenID Connect RP-Initiated Logout 1.0 (see the file header). */
export class EndSessionEndpoint {
  constructor(private readonly deps: EndSessionDeps) {}

  /** `GET` or `POST {prefix}/logout`: a logout request, or the confirmation form's answer. */
  async handle(req: OAuthRequest): Promise<OAuthResponse> {
    const interaction = this.deps.interaction;
    try {
      assertSecureTransport(req, this.deps.options.requireHttps);
      if (!interaction) {
        return await this.errorPage(req, undefined, {
          status: 500,
          title: 'Server configuration error',
          message: 'The end-session endpoint has no OAuthInteraction: pass `interaction` to OAuthModule.forRoot().',
        });
      }
      if (req.method === 'POST' && req.body[LOGOUT_CSRF_FIELD] !== undefined) return await this.confirm(req, interaction);
      return await this.request(req, req.method === 'POST' ? req.body : req.query, interaction);
    } catch (error) {
      const oauth = asOAuthError(error);
      if (oauth.status >= 500) this.deps.reportError?.(error);
      return this.errorPage(
        req,
        interaction,
        oauth.status >= 500
          ? { status: oauth.status, title: 'Service unavailable', message: oauth.description ?? 'Try again later.' }
          : { status: oauth.status, title: 'Sign-out refused', message: oauth.description ?? 'The sign-out request is not valid.' },
      );
    }
  }

  private async request(
    req: OAuthRequest,
    source: Readonly<Record<string, unknown>>,
    interaction: OAuthInteraction,
  ): Promise<OAuthResponse> {
    const target = await this.resolve(source);
    const user = await interaction.currentUser(req);
    if (target.hint && (!user || this.names(target, user))) {
      await interaction.endSession(req);
      return this.signedOut(target);
    }
    // Nobody is signed in: nothing to end, nothing to confirm.
    if (!user) return this.signedOut(target);
    return this.confirmation(req, target, user);
  }

  /** The confirmation's answer: only a valid token for this browser, this user and this very request signs out. */
  private async confirm(req: OAuthRequest, interaction: OAuthInteraction): Promise<OAuthResponse> {
    const user = await interaction.currentUser(req);
    const fields = singleValuedParams(req.body, FORM_PARAMS);
    if (user) {
      const token = req.body[LOGOUT_CSRF_FIELD];
      const valid =
        typeof token === 'string' &&
        this.deps.csrf.verify(token, req.cookies[LOGOUT_COOKIE], user.id, canonical(fields), this.deps.clock.now());
      if (!valid) {
        return this.errorPage(req, interaction, {
          status: 403,
          title: 'Request refused',
          message: 'This sign-out form is invalid or has expired. You are still signed in; start again to sign out.',
        });
      }
    }
    // The posted request is checked again: nothing is trusted from the form but what the token binds.
    const target = await this.resolve(fields);
    if (user) await interaction.endSession(req);
    return this.signedOut(target);
  }

  /** Checks the parameters; throws `invalid_request` (an error page) for anything that must not be acted on. */
  private async resolve(source: Readonly<Record<string, unknown>>): Promise<LogoutTarget> {
    const params = singleValuedParams(source, LOGOUT_PARAMS);
    const { options, keys } = this.deps;
    const hint =
      params.id_token_hint === undefined
        ? undefined
        : await verifyIdTokenHint(
            params.id_token_hint,
            { issuer: options.issuer, keys, algorithms: options.openid?.idTokenSigningAlgorithms ?? [] },
            params.client_id,
          );
    const clientId = params.client_id ?? (hint && hintClientId(hint));
    const client = clientId === undefined ? undefined : await this.findClient(clientId);
    if (params.client_id !== undefined && !client) throw new InvalidRequestError('The client_id is not registered on this server');
    const uri = params.post_logout_redirect_uri;
    if (uri !== undefined) {
      if (!client) throw new InvalidRequestError('A post_logout_redirect_uri needs a client_id or an id_token_hint naming the client');
      if (!(client.postLogoutRedirectUris ?? []).includes(uri)) {
        throw new InvalidRequestError('The post_logout_redirect_uri is not registered for this client (exact match required)');
      }
    }
    const fields: Record<string, string> = {};
    for (const name of FORM_PARAMS) {
      const value = name === 'client_id' ? client?.id : params[name];
      if (value !== undefined) fields[name] = value;
    }
    return { client, hint, redirectUri: uri, fields };
  }

  /** A stored client, or undefined for an id no client could have. */
  private async findClient(id: string): Promise<OAuthClient | undefined> {
    return isClientIdSyntax(id) ? this.deps.clients.findById(id) : undefined;
  }

  /** Whether the hint's subject is `user` as the hint's client sees them (pairwise or public, OpenID Connect Core §8). */
  private names(target: LogoutTarget, user: OAuthUser): boolean {
    if (!target.client || !target.hint) return false;
    return target.hint.sub === subjectFor(target.client, user.id, this.deps.options.openid?.pairwiseSalt);
  }

  /** Back to the client's registered URI with `state` (§3), or the built-in "signed out" page. */
  private signedOut(target: LogoutTarget): OAuthResponse {
    if (target.redirectUri !== undefined) {
      const url = new URL(target.redirectUri);
      if (target.fields.state !== undefined) url.searchParams.append('state', target.fields.state);
      return redirectResponse(url.toString(), { 'Referrer-Policy': 'no-referrer' });
    }
    const pages = this.deps.options.pages ?? DEFAULT_PAGE_SETTINGS;
    return htmlResponse(200, renderSignedOutPage(pages), true, {}, [pages.logoUrl]);
  }

  /** The confirmation page, with its cookie set (or kept) and the form token bound to it. */
  private confirmation(req: OAuthRequest, target: LogoutTarget, user: OAuthUser): OAuthResponse {
    const existing = req.cookies[LOGOUT_COOKIE];
    const cookie = existing && COOKIE_VALUE.test(existing) ? existing : this.deps.csrf.newCookieValue();
    const action = new URL(req.url, 'http://localhost').pathname;
    const fields = {
      ...target.fields,
      [LOGOUT_CSRF_FIELD]: this.deps.csrf.token(cookie, user.id, canonical(target.fields), this.deps.clock.now()),
    };
    const pages = this.deps.options.pages ?? DEFAULT_PAGE_SETTINGS;
    const html = renderLogoutConfirmation({ user: user.name ?? user.id, clientName: target.client?.name, action, fields }, pages);
    const setCookie = `${LOGOUT_COOKIE}=${cookie}; Path=${action}; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;
    return htmlResponse(200, html, true, { 'Set-Cookie': setCookie }, [pages.logoUrl]);
  }

  /** An error page: the host's `renderError`, or the built-in page when it returns undefined or fails. */
  private errorPage(req: OAuthRequest, interaction: OAuthInteraction | undefined, view: ErrorView): Promise<OAuthResponse> {
    return errorPageResponse(req, interaction, view, this.deps.options.pages, this.deps.reportError);
  }
}

/** One string for the pending request the token binds; the prefix keeps it apart from a consent form's. */
function canonical(fields: Readonly<Record<string, string | undefined>>): string {
  return JSON.stringify(['end_session', ...FORM_PARAMS.map((name) => fields[name] ?? null)]);
}
