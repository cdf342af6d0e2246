import type { ClientRegistrationKind, OAuthClient } from '../stores/models';
import type { OAuthRequest } from './oauth-request';

/** The logged-in resource owner, as the host app knows them. @publicApi */
export interface OAuthUser {
  /** Stable user id; becomes the token's `sub`. */
  id: string;
  /** Optional display name for the consent page. */
  name?: string;
  /**
   * When the user last authenticated (typed a password, used a passkey…), not when the session was
   * last touched. OpenID Connect needs it: it becomes the ID token's `auth_time`, and `max_age` or
   * `prompt=login` compare against it (OpenID Connect Core §3.1.2.1). Without it, a request with
   * `max_age` cannot be satisfied and is answered `login_required`.
   */
  authTime?: Date;
  /** Authentication context class reference of that sign-in (`acr`, OpenID Connect Core §2), if the host tracks one. */
  acr?: string;
  /** Authentication methods used (`amr`, RFC 8176 values such as `pwd`, `otp`, `mfa`), if the host tracks them. */
  amr?: string[];
}

/**
 * What an OpenID Connect authorization request asks of the login page (OpenID Connect Core §3.1.2.1):
 * passed to `OAuthInteraction.loginUrl` so the host can prefill the account and speak the user's language.
 * @publicApi
 */
export interface LoginHints {
  /** `login_hint`: the account the client thinks the user will use (an email, a user name). Untrusted input. */
  loginHint?: string;
  /** `ui_locales`: preferred languages of the pages, most preferred first (BCP 47 tags). */
  uiLocales?: string[];
  /** `prompt=select_account`: the user should pick (or confirm) the account rather than reuse the session silently. */
  selectAccount?: boolean;
  /** `max_age` in seconds, when the request set one: the login must be at most that old. */
  maxAge?: number;
}

/** What the consent page shows and posts back. @publicApi */
export interface ConsentView {
  /** The client: its name, and its logo and home page (RFC 7591 §2) when registered. */
  client: Pick<OAuthClient, 'id' | 'name' | 'logoUri' | 'clientUri'>;
  user: OAuthUser;
  /**
   * The scopes asked for, with their configured descriptions. `alreadyApproved` marks the ones the
   * user approved for this client before: a page shown again (every time for a public client, RFC
   * 8252 §8.6) should say so, and set the others apart as new (step-up).
   */
  scopes: { name: string; description: string; alreadyApproved: boolean }[];
  /**
   * The APIs (RFC 8707 resources) the tokens will be good at: each one's `name` in words and its
   * identifier. Empty when the server configures no resources.
   */
  resources: { id: string; name: string }[];
  /**
   * How the client was registered: by the operators, by a developer in a portal, by itself (RFC 7591)
   * or not at all but by the URL of its metadata document. A page should say so: only the first is
   * an app the operators vetted.
   */
  registration: ClientRegistrationKind;
  /** Where the form posts (`POST {prefix}/auth`). */
  action: string;
  /** Hidden form fields (the pending request and its CSRF token) the form must post back unchanged. */
  fields: Record<string, string>;
  /** The host (or, for a native app's custom scheme, the scheme) of the redirect URI the browser goes to next. */
  redirectHost?: string;
  /**
   * For a client known only by the URL of its Client ID Metadata Document (`registration: 'url'`):
   * that URL's host, the one thing about the client the server verified (its name and logo are what
   * the document says). A page should show it prominently, beside or instead of the name.
   */
  clientIdHost?: string;
  /**
   * True when every redirect URI of the client is a loopback address (`http://127.0.0.1`, `[::1]`,
   * `localhost`): the code goes to a program on the user's own device, and any program there could
   * be listening (RFC 8252 §8.6). The built-in page warns about it for clients known only by URL,
   * whose name nobody vouches for.
   */
  loopbackOnly?: boolean;
  /** Where "Not you?" leads, from `OAuthInteraction.switchAccountUrl`; undefined when the host has no such page. */
  switchAccountUrl?: string;
  /** `ui_locales` of an OpenID Connect request: the languages the page should use, most preferred first. */
  uiLocales?: string[];
}

/** What an error page of the authorization endpoint shows (a request that cannot be redirected). @publicApi */
export interface ErrorView {
  /** The HTTP status the page is sent with. */
  status: number;
  /** What happened, in a few words (e.g. "Request refused"). */
  title: string;
  /** What happened and what to do, in a sentence; never internals. */
  message: string;
  /** A path on this server that starts the authorization request again, when it can be. */
  retryUrl?: string;
  /** The client, once it is known and its redirect URI trusted: a way back to its home page when it registered one. */
  client?: Pick<OAuthClient, 'id' | 'name' | 'clientUri'>;
}

/**
 * What the host application tells the authorization endpoint: who is logged in, where to log in, and
 * (optionally) how to render consent. Implement it and pass the class as `interaction` in the module
 * options; it is instantiated by Nest, so it may inject the host's own services.
 * @publicApi
 * @example
 * @Injectable()
 * export class ShiftInteraction extends OAuthInteraction {
 *   async currentUser(req: OAuthRequest) { const s = (req.raw as Request).session; return s.userId ? { id: s.userId } : undefined; }
 *   loginUrl(returnTo: string) { return `/login?return_to=${encodeURIComponent(returnTo)}`; }
 * }
 */
export abstract class OAuthInteraction {
  /** The user logged in on this request, or undefined. Called on every authorization request. */
  abstract currentUser(req: OAuthRequest): Promise<OAuthUser | undefined> | OAuthUser | undefined;

  /**
   * Where to send a visitor who must log in; `returnTo` is the authorization request to come back
   * to (a path on this server), which the login page must redirect to after success.
   * With `prompt=login`, or a login older than `max_age`, the user is sent here even when logged in
   * (`forceLogin` true), and must authenticate again (a fresh `authTime`).
   */
  abstract loginUrl(returnTo: string, req: OAuthRequest, forceLogin: boolean, hints?: LoginHints): string;

  /**
   * Render the consent page as HTML. Return undefined to use the built-in page. Whatever renders it
   * must HTML-escape every string of `view` and post every entry of `view.fields` unchanged.
   */
  renderConsent(_view: ConsentView, _req: OAuthRequest): Promise<string | undefined> | string | undefined {
    return undefined;
  }

  /**
   * Render an error page of the authorization endpoint as HTML. Return undefined to use the
   * built-in page. Whatever renders it must HTML-escape every string of `view`.
   */
  renderError(_view: ErrorView, _req: OAuthRequest): Promise<string | undefined> | string | undefined {
    return undefined;
  }

  /**
   * Where "Not you?" on the consent page leads: a page that signs the user out or lets them pick
   * another account, then returns to `returnTo` (the authorization request, a path on this server).
   * Undefined (the default) shows no such link.
   */
  switchAccountUrl(_returnTo: string, _req: OAuthRequest): string | undefined {
    return undefined;
  }

  /**
   * OpenID Connect RP-Initiated Logout §2: end the user's session on this server (sign them out),
   * called by the end-session endpoint once the request is verified. A host that turns `openid` on
   * must override it. The default throws, so the endpoint answers an error page: saying "you are signed
   * out" while the session lives on would be a false logout, worse than none on a shared computer.
   */
  endSession(_req: OAuthRequest): Promise<void> | void {
    throw new Error(
      'OAuthInteraction.endSession is not implemented: override it to sign the user out (OpenID Connect RP-Initiated Logout)',
    );
  }
}
