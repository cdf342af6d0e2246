/**
 * What an OpenID Connect authorization request asks of the user's session (OpenID Connect Core
 * §3.1.2.1–§3.1.2.6), checked after the request is valid and before login and consent:
 * - `id_token_hint` must be an ID token of this server issued to the client (else `invalid_request`);
 *   when another user is signed in, `prompt=none` answers `login_required` and an interactive request
 *   sends the user to sign in again (§3.1.2.2). The way back drops the hint, so it cannot loop.
 * - `prompt=select_account` sends the user to the login page with `hints.selectAccount` and
 *   `forceLogin` false: picking an account needs no fresh password. A signed-in user can only pick
 *   another account where the host offers a way to (its `switchAccountUrl`, the page behind the
 *   consent page's "Not you?"); without one the answer is `account_selection_required`. Nobody signed
 *   in: the login itself picks the account.
 * - `max_age`: a sign-in older than that many seconds sends the user to log in again (`forceLogin`
 *   true), or answers `login_required` with `prompt=none`. A session whose sign-in time the host does
 *   not report cannot satisfy it (`login_required`), since no login could ever prove it fresh.
 *   `max_age=0` asks for a login on every request, like `prompt=login`, so the way back drops it.
 * Every way back drops what sent the user away (`select_account`, `login`) so coming back proceeds.
 */
import type { OAuthUser, LoginHints, OAuthInteraction } from '../oauth-interaction';
import type { OAuthRequest } from '../oauth-request';
import { redirectResponse, type OAuthResponse } from '../oauth-response';
import { AccountSelectionRequiredError, LoginRequiredError } from '../oauth.errors';
import type { Clock } from '../clock';
import type { ServerSettings } from '../server-settings';
import type { SigningKeys } from '../keys/signing-keys';
import type { AuthorizationRequest } from '../authorize/authorization-request';
import { loginUrl, returnPath } from '../authorize/login-redirect';
import { verifyIdTokenHint } from './id-token-hint';
import { subjectFor } from './subject';

export interface OpenIdSessionDeps {
  options: ServerSettings;
  /** The keys that sign ID tokens; an `id_token_hint` cannot be verified without them. */
  keys?: Pick<SigningKeys, 'verificationKey'>;
  clock: Clock;
}

/** The OpenID Connect steps of the authorization endpoint, in front of login and consent. */
export class OpenIdSession {
  constructor(private readonly deps: OpenIdSessionDeps) {}

  /** What the login page is told (the fourth argument of `loginUrl`). */
  loginHints(request: AuthorizationRequest): LoginHints {
    const openid = request.openid;
    const hints: LoginHints = {};
    if (openid?.loginHint !== undefined) hints.loginHint = openid.loginHint;
    if (openid?.uiLocales) hints.uiLocales = [...openid.uiLocales];
    if (request.prompt.has('select_account')) hints.selectAccount = true;
    if (openid?.maxAge !== undefined) hints.maxAge = openid.maxAge;
    return hints;
  }

  /**
   * A response that sends the user somewhere first (a login page), or undefined to go on with login
   * and consent as usual. Throws the OpenID Connect error a request cannot get past.
   */
  async detour(
    request: AuthorizationRequest,
    user: OAuthUser | undefined,
    req: OAuthRequest,
    interaction: OAuthInteraction,
  ): Promise<OAuthResponse | undefined> {
    const openid = request.openid;
    if (!openid) return undefined;
    const silent = request.prompt.has('none');
    const hints = this.loginHints(request);
    if (openid.idTokenHint !== undefined) {
      if (!(await this.hintNames(openid.idTokenHint, request, user))) {
        if (silent) throw new LoginRequiredError('The signed-in user is not the one the id_token_hint names');
        return redirectResponse(loginUrl(interaction, returnPath(req.url, ['login'], ['id_token_hint']), req, true, hints));
      }
    }
    if (request.prompt.has('select_account')) {
      const back = returnPath(req.url, ['select_account', 'login']);
      if (user && interaction.switchAccountUrl(back, req) === undefined) {
        throw new AccountSelectionRequiredError('This server offers no way to choose another account');
      }
      return redirectResponse(loginUrl(interaction, back, req, request.prompt.has('login'), hints));
    }
    if (openid.maxAge !== undefined && user) {
      if (this.tooOld(openid.maxAge, user)) {
        if (silent) throw new LoginRequiredError(`The user signed in more than max_age (${openid.maxAge}) seconds ago`);
        const back = returnPath(req.url, ['login'], openid.maxAge === 0 ? ['max_age'] : []);
        return redirectResponse(loginUrl(interaction, back, req, true, hints));
      }
    }
    return undefined;
  }

  /**
   * At the consent decision: the sign-in must still be within `max_age`, or the code would carry an
   * `auth_time` its client must refuse (OpenID Connect Core §3.1.2.3); `login_required` otherwise.
   */
  assertFresh(request: AuthorizationRequest, user: OAuthUser): void {
    const maxAge = request.openid?.maxAge;
    if (maxAge !== undefined && this.tooOld(maxAge, user)) {
      throw new LoginRequiredError(`The user signed in more than max_age (${maxAge}) seconds ago`);
    }
  }

  /** Whether the user's sign-in is older than `maxAge` seconds; `login_required` when its time is unknown. */
  private tooOld(maxAge: number, user: OAuthUser): boolean {
    const authTime = authTimeOf(user);
    if (authTime === undefined) throw new LoginRequiredError('max_age cannot be honoured: the time of the sign-in is unknown');
    return Math.floor((this.deps.clock.now().getTime() - authTime.getTime()) / 1000) > maxAge;
  }

  /**
   * Verifies the hint (throwing `invalid_request`), then whether it names `user` as this client sees
   * them; with nobody signed in there is nothing to compare.
   */
  private async hintNames(token: string, request: AuthorizationRequest, user: OAuthUser | undefined): Promise<boolean> {
    const { options, keys } = this.deps;
    if (!keys) throw new Error('OpenID Connect needs the signing keys to verify an id_token_hint');
    const openid = options.openid!;
    const hint = await verifyIdTokenHint(
      token,
      { issuer: options.issuer, keys, algorithms: openid.idTokenSigningAlgorithms },
      request.client.id,
    );
    return !user || hint.sub === subjectFor(request.client, user.id, openid.pairwiseSalt);
  }
}

/** The user's `authTime` when it is a valid `Date`; anything else (absent, or a string from a session store) is unknown. */
export function authTimeOf(user: OAuthUser): Date | undefined {
  const { authTime } = user;
  return authTime instanceof Date && Number.isFinite(authTime.getTime()) ? authTime : undefined;
}
