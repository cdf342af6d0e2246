import type { ServerSettings } from '../server-settings';
import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';
import type { CodeStore } from '../../stores/code.store';
import type { ConsentStore } from '../../stores/consent.store';
import type { Clock } from '../clock';
import { noteClientUse } from '../registration/client-usage';
import { errorPageResponse } from '../html-pages';
import { asOAuthError } from '../error-response';
import type { ErrorView, OAuthInteraction, OAuthUser } from '../oauth-interaction';
import type { OAuthRequest } from '../oauth-request';
import { redirectResponse, type OAuthResponse } from '../oauth-response';
import { AccessDeniedError, ConsentRequiredError, InvalidRequestError, LoginRequiredError } from '../oauth.errors';
import type { SigningKeys } from '../keys/signing-keys';
import type { OpenIdAuthentication } from '../../stores/models';
import { authTimeOf, OpenIdSession } from '../openid/openid-session';
import { assertSecureTransport } from '../protocol/https-requirement';
import { hashSecret, randomId, randomToken } from '../protocol/credentials';
import {
  requestParams,
  resolveRedirectTarget,
  validateAuthorizationRequest,
  type AuthorizationRequest,
  type RedirectTarget,
} from './authorization-request';
import { authorizationRedirect, errorRedirect } from './authorization-response';
import { loginUrl, returnPath } from './login-redirect';
import { CSRF_FIELD, type ConsentForm } from './consent-form';

/** What the authorization endpoint needs. */
export interface AuthorizeEndpointDeps {
  options: ServerSettings;
  /** Where clients are found: the `ClientStore`, or a `ClientIdMetadataResolver` in front of it. */
  clients: Pick<ClientStore, 'findById' | 'markUsed'>;
  codes: CodeStore;
  consents: ConsentStore;
  clock: Clock;
  consentForm: ConsentForm;
  /** The host's interaction; without it the endpoint answers a configuration error page. */
  interaction?: OAuthInteraction;
  /** Told about unexpected errors (they reach the client only as a generic `server_error`). */
  reportError?: (error: unknown) => void;
  /** The keys that sign ID tokens, to verify an `id_token_hint`; needed while OpenID Connect is on. */
  signingKeys?: Pick<SigningKeys, 'verificationKey'>;
}

/**
 * The authorization endpoint (RFC 6749 §4.1.1–§4.1.2): `GET {prefix}/auth` validates the request,
 * sends the user to log in or to consent, and issues a code; `POST {prefix}/auth` takes the consent
 * decision. Consent is remembered for confidential clients only, unless `rememberPublicClientConsent`
 * (RFC 8252 §8.6); a page shown again marks the scopes approved before. Order matters: the client and
 * redirect URI are checked before anything may be redirected (§4.1.2.1); the CSRF token before the
 * posted request is acted on (§10.12). Whether an error is redirected is decided by its class
 * (`OAuthError.redirectable`), in `respond` alone.
 */
export class AuthorizeEndpoint {
  private readonly openid?: OpenIdSession;

  constructor(private readonly deps: AuthorizeEndpointDeps) {
    if (deps.options.openid) this.openid = new OpenIdSession({ options: deps.options, keys: deps.signingKeys, clock: deps.clock });
  }

  /** GET: validate, then log in, show consent, or redirect with a code. */
  handleRequest(req: OAuthRequest): Promise<OAuthResponse> {
    return this.respond(req, req.query, async (target, interaction) => {
      const request = validateAuthorizationRequest(target, req.query, this.deps.options);
      const user = await interaction.currentUser(req);
      if (this.openid) {
        // OpenID Connect Core §3.1.2.2–§3.1.2.6: the hint, select_account and max_age may each send the user to a page first.
        const detour = await this.openid.detour(request, user, req, interaction);
        if (detour) return detour;
      }
      if (request.prompt.has('none') && !user) throw new LoginRequiredError('The user is not logged in');
      const hints = this.openid?.loginHints(request);
      // prompt=login: re-authenticate; the way back drops `login` so the next visit does not loop.
      if (request.prompt.has('login')) return redirectResponse(loginUrl(interaction, returnPath(req.url, ['login']), req, true, hints));
      if (!user) return redirectResponse(loginUrl(interaction, returnPath(req.url), req, false, hints));
      const consent = await this.deps.consents.find(user.id, request.client.id);
      // An approval covers the APIs it was given for too (RFC 8707): with a new resource every scope
      // is asked for again, and the page shows none as already approved.
      const sameResources = request.resources.every((r) => consent?.resources?.includes(r));
      const approved = sameResources ? (consent?.scopes ?? []) : [];
      const covered = sameResources && request.scopes.every((s) => approved.includes(s));
      if (covered && this.remembersConsent(request) && !request.prompt.has('consent')) return await this.issueCode(request, user);
      if (request.prompt.has('none')) throw new ConsentRequiredError('The user has not approved these scopes or resources for this client');
      return await this.deps.consentForm.render(request, user, req, interaction, approved);
    });
  }

  /**
   * POST: check the CSRF token, re-validate the posted request, then allow (code) or deny
   * (access_denied). With OpenID Connect on, a POST that carries neither the consent form's CSRF token
   * nor a decision is an authorization request sent by POST, which an OpenID provider must accept
   * (OpenID Connect Core §3.1.2.1): it is answered as the same request by GET would be, and any way
   * back from a login page is that GET, so a login never replays a POST.
   */
  handleDecision(req: OAuthRequest): Promise<OAuthResponse> {
    if (this.openid && req.body[CSRF_FIELD] === undefined && req.body.decision === undefined) return this.handleRequest(asGetRequest(req));
    return this.respond(req, req.body, async (target, interaction) => {
      const user = await interaction.currentUser(req);
      if (!user) {
        return this.errorPage(req, interaction, {
          status: 403,
          title: 'Signed out',
          message: 'Your session ended before you answered. Sign in again to continue.',
          retryUrl: this.retryUrl(req),
          client: pick(target.client),
        });
      }
      if (!this.deps.consentForm.verify(req, user.id)) {
        return this.errorPage(req, interaction, {
          status: 403,
          title: 'Request refused',
          message: 'This approval form is invalid or has expired. Start again to see a fresh one.',
          retryUrl: this.retryUrl(req),
          client: pick(target.client),
        });
      }
      const request = validateAuthorizationRequest(target, req.body, this.deps.options, true);
      const decision = req.body.decision;
      if (decision === 'deny') throw new AccessDeniedError('The user denied the request');
      if (decision !== 'allow') throw new InvalidRequestError('The decision must be allow or deny');
      // A user who lingered on the page past max_age would get an ID token its client must refuse (§3.1.2.3).
      this.openid?.assertFresh(request, user);
      await this.deps.consents.grant(user.id, request.client.id, request.scopes, this.deps.clock.now(), request.resources);
      return await this.issueCode(request, user);
    });
  }

  /**
   * The one place an authorization error becomes a response. The error's class decides where it
   * goes: a redirectable error goes to the client's redirect URI once that URI is trusted (RFC 6749
   * §4.1.2.1); anything else, and every error before the client and redirect URI are checked, is
   * shown as a page, so an untrusted URI is never redirected to (§3.1.2.4, §10.15).
   */
  private async respond(
    req: OAuthRequest,
    source: Readonly<Record<string, unknown>>,
    handle: (target: RedirectTarget, interaction: OAuthInteraction) => Promise<OAuthResponse>,
  ): Promise<OAuthResponse> {
    let target: RedirectTarget | undefined;
    const interaction = this.deps.interaction;
    try {
      assertSecureTransport(req, this.deps.options.requireHttps);
      if (!interaction) {
        return await this.errorPage(req, undefined, {
          status: 500,
          title: 'Server configuration error',
          message: 'The authorization endpoint has no OAuthInteraction: pass `interaction` to OAuthModule.forRoot().',
        });
      }
      target = await resolveRedirectTarget(source, this.deps.clients);
      return await handle(target, interaction);
    } catch (error) {
      const oauth = asOAuthError(error);
      if (oauth.status >= 500) this.deps.reportError?.(error);
      if (oauth.redirectable && target) return errorRedirect(target, this.deps.options.issuer, oauth);
      const view: ErrorView =
        oauth.status >= 500
          ? { status: oauth.status, title: 'Service unavailable', message: oauth.description ?? 'Try again later.' }
          : { status: oauth.status, title: 'Invalid request', message: oauth.description ?? 'The request is not valid.' };
      return this.errorPage(req, interaction, view);
    }
  }

  /** An error page: the host's `renderError`, or the built-in page when it returns undefined or fails. */
  private errorPage(req: OAuthRequest, interaction: OAuthInteraction | undefined, view: ErrorView): Promise<OAuthResponse> {
    return errorPageResponse(req, interaction, view, this.deps.options.pages, this.deps.reportError);
  }

  /**
   * The authorization request a failed decision came from, as a path on this server, so the user can
   * start it again. Only reached once the client and redirect URI are trusted.
   */
  private retryUrl(req: OAuthRequest): string {
    const query = new URLSearchParams();
    for (const name of [...requestParams(this.deps.options), ...this.deps.options.passthroughParams]) {
      const value = req.body[name];
      if (typeof value !== 'string' || value === '') continue;
      // The form carries the resources as one space-separated field; a request names each apart (RFC 8707 §2).
      if (name === 'resource') for (const resource of value.split(' ')) query.append(name, resource);
      else query.set(name, value);
    }
    return `${new URL(req.url, 'http://localhost').pathname}?${query}`;
  }

  /**
   * Whether an earlier approval may stand in for the screen. A confidential client proves who it is
   * at the token endpoint, so its remembered consent is safe to reuse (RFC 6749 §10.2). A public
   * client cannot: any local process that binds its loopback redirect port gets a code for its own
   * PKCE challenge (RFC 8252 §8.6), so the user must see every request unless the host opted out.
   */
  private remembersConsent(request: AuthorizationRequest): boolean {
    return request.client.secretHash !== null || this.deps.options.rememberPublicClientConsent;
  }

  /** RFC 6749 §4.1.2: a single-use code bound to the client, redirect URI, PKCE challenge, scopes and user. */
  private async issueCode(request: AuthorizationRequest, user: OAuthUser): Promise<OAuthResponse> {
    const code = randomToken();
    const now = this.deps.clock.now();
    await this.deps.codes.save({
      codeHash: hashSecret(code),
      clientId: request.client.id,
      userId: user.id,
      redirectUri: request.requestedRedirectUri,
      scopes: request.scopes,
      resources: request.resources,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      grantId: randomId(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.deps.options.authorizationCodeTtl * 1000),
      consumedAt: null,
      replayedAt: null,
      ...(request.openid?.authentication ? { openid: signIn(user, request.openid.nonce) } : {}),
    });
    const marking = noteClientUse(this.deps.clients, request.client, now, this.deps.reportError);
    if (marking) await marking;
    return authorizationRedirect(request, this.deps.options.issuer, { code, ...request.passthrough });
  }
}

/**
 * What an OpenID Connect code remembers of the sign-in (OpenID Connect Core §2): its ID tokens
 * describe it. Only well-formed facts are kept: a host session may hand back a date as a string.
 */
function signIn(user: OAuthUser, nonce: string | undefined): OpenIdAuthentication {
  const { acr, amr } = user;
  return {
    authTime: authTimeOf(user) ?? null,
    ...(nonce !== undefined ? { nonce } : {}),
    ...(typeof acr === 'string' ? { acr } : {}),
    ...(Array.isArray(amr) && amr.every((m) => typeof m === 'string') ? { amr: [...amr] } : {}),
  };
}

/** What an error page may show of a trusted client. */
function pick(client: OAuthClient): ErrorView['client'] {
  return { id: client.id, name: client.name, clientUri: client.clientUri };
}

/** An authorization request sent by POST, as the same request by GET: its form parameters become the query. */
function asGetRequest(req: OAuthRequest): OAuthRequest {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(req.body)) {
    // A repeated parameter stays repeated, for the same refusal a GET gets (RFC 6749 §3.1).
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') query.append(name, item);
  }
  const path = new URL(req.url, 'http://localhost').pathname;
  return { ...req, method: 'GET', url: `${path}?${query}`, query: req.body, body: {} };
}
