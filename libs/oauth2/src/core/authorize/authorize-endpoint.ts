import type { ResolvedOAuthOptions } from '../../oauth-options';
import type { ClientStore } from '../../stores/client.store';
import type { CodeStore } from '../../stores/code.store';
import type { ConsentStore } from '../../stores/consent.store';
import type { Clock } from '../clock';
import { htmlResponse, renderErrorPage } from '../html-pages';
import { asOAuthError } from '../error-response';
import type { OAuthInteraction, OAuthUser } from '../oauth-interaction';
import type { OAuthRequest } from '../oauth-request';
import { redirectResponse, type OAuthResponse } from '../oauth-response';
import { AccessDeniedError, ConsentRequiredError, InvalidRedirectUriError, InvalidRequestError, LoginRequiredError } from '../oauth.errors';
import { assertSecureTransport } from '../protocol/https-requirement';
import { hashSecret, randomId, randomToken } from '../protocol/credentials';
import {
  resolveRedirectTarget,
  validateAuthorizationRequest,
  type AuthorizationRequest,
  type RedirectTarget,
} from './authorization-request';
import { authorizationRedirect, errorRedirect } from './authorization-response';
import type { ConsentForm } from './consent-form';

/** What the authorization endpoint needs. */
export interface AuthorizeEndpointDeps {
  options: ResolvedOAuthOptions;
  clients: ClientStore;
  codes: CodeStore;
  consents: ConsentStore;
  clock: Clock;
  consentForm: ConsentForm;
  /** The host's interaction; without it the endpoint answers a configuration error page. */
  interaction?: OAuthInteraction;
  /** Told about unexpected errors (they reach the client only as a generic `server_error`). */
  reportError?: (error: unknown) => void;
}

/**
 * The authorization endpoint (RFC 6749 §4.1.1–§4.1.2): `GET {prefix}/auth` validates the request,
 * sends the user to log in or to consent, and issues a code; `POST {prefix}/auth` takes the consent
 * decision. Consent is remembered for confidential clients only, unless `rememberPublicClientConsent`
 * (RFC 8252 §8.6); a page shown again marks the scopes approved before. Order matters: the client and redirect URI are checked before anything may be
 * redirected (§4.1.2.1); the CSRF token before the posted request is acted on (§10.12).
 */
export class AuthorizeEndpoint {
  constructor(private readonly deps: AuthorizeEndpointDeps) {}

  /** GET: validate, then log in, show consent, or redirect with a code. */
  async handleRequest(req: OAuthRequest): Promise<OAuthResponse> {
    const { interaction, target, failure } = await this.prelude(req, req.query);
    if (failure) return failure;
    try {
      const request = validateAuthorizationRequest(target, req.query, this.deps.options);
      const user = await interaction.currentUser(req);
      if (request.prompt.has('none') && !user) throw new LoginRequiredError('The user is not logged in');
      // prompt=login: re-authenticate; the way back drops `login` so the next visit does not loop.
      if (request.prompt.has('login')) return redirectResponse(interaction.loginUrl(returnPath(req.url, true), req, true));
      if (!user) return redirectResponse(interaction.loginUrl(returnPath(req.url, false), req, false));
      const approved = (await this.deps.consents.find(user.id, request.client.id))?.scopes ?? [];
      const covered = request.scopes.every((s) => approved.includes(s));
      if (covered && this.remembersConsent(request) && !request.prompt.has('consent')) return await this.issueCode(request, user);
      if (request.prompt.has('none')) throw new ConsentRequiredError('The user has not approved these scopes for this client');
      return await this.deps.consentForm.render(request, user, req, interaction, approved);
    } catch (error) {
      return this.redirectError(target, error);
    }
  }

  /** POST: check the CSRF token, re-validate the posted request, then allow (code) or deny (access_denied). */
  async handleDecision(req: OAuthRequest): Promise<OAuthResponse> {
    const { interaction, target, failure } = await this.prelude(req, req.body);
    if (failure) return failure;
    const user = await interaction.currentUser(req);
    if (!user) return errorPage(403, 'Not signed in', 'Your session has ended. Return to the application and start again.');
    if (!this.deps.consentForm.verify(req, user.id)) {
      return errorPage(403, 'Request refused', 'This approval form is invalid or has expired. Return to the application and start again.');
    }
    try {
      const request = validateAuthorizationRequest(target, req.body, this.deps.options);
      const decision = req.body.decision;
      if (decision === 'deny') throw new AccessDeniedError('The user denied the request');
      if (decision !== 'allow') throw new InvalidRequestError('The decision must be allow or deny');
      await this.deps.consents.grant(user.id, request.client.id, request.scopes, this.deps.clock.now());
      return await this.issueCode(request, user);
    } catch (error) {
      return this.redirectError(target, error);
    }
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

  /** Checks shared by GET and POST whose failures are pages, never redirects. */
  private async prelude(
    req: OAuthRequest,
    source: Readonly<Record<string, unknown>>,
  ): Promise<
    | { interaction: OAuthInteraction; target: RedirectTarget; failure?: undefined }
    | { failure: OAuthResponse; interaction?: undefined; target?: undefined }
  > {
    try {
      assertSecureTransport(req, this.deps.options.requireHttps);
    } catch (error) {
      return { failure: errorPage(400, 'HTTPS required', (error as Error).message) };
    }
    const interaction = this.deps.interaction;
    if (!interaction) {
      return {
        failure: errorPage(
          500,
          'Server configuration error',
          'The authorization endpoint has no OAuthInteraction: pass `interaction` to OAuthModule.forRoot().',
        ),
      };
    }
    try {
      return { interaction, target: await resolveRedirectTarget(source, this.deps.clients) };
    } catch (error) {
      if (error instanceof InvalidRedirectUriError)
        return { failure: errorPage(400, 'Invalid request', error.description ?? 'Invalid client') };
      this.deps.reportError?.(error);
      const oauth = asOAuthError(error);
      return { failure: errorPage(oauth.status, 'Service unavailable', oauth.description ?? 'Try again later') };
    }
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
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      grantId: randomId(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.deps.options.authorizationCodeTtl * 1000),
      consumedAt: null,
      replayedAt: null,
    });
    return authorizationRedirect(request, this.deps.options.issuer, { code, ...request.passthrough });
  }

  private redirectError(target: RedirectTarget, error: unknown): OAuthResponse {
    const oauth = asOAuthError(error);
    if (oauth.status >= 500) this.deps.reportError?.(error);
    return errorRedirect(target, this.deps.options.issuer, oauth);
  }
}

function errorPage(status: number, title: string, message: string): OAuthResponse {
  return htmlResponse(status, renderErrorPage(title, message));
}

/** The authorization request's path and query, to come back to after login; optionally without `prompt=login`. */
function returnPath(url: string, dropLoginPrompt: boolean): string {
  const parsed = new URL(url, 'http://localhost');
  if (dropLoginPrompt) {
    const rest = (parsed.searchParams.get('prompt') ?? '').split(' ').filter((p) => p !== '' && p !== 'login');
    if (rest.length) parsed.searchParams.set('prompt', rest.join(' '));
    else parsed.searchParams.delete('prompt');
  }
  return parsed.pathname + parsed.search;
}
