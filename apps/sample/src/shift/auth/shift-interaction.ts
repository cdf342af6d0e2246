import { Injectable } from '@nestjs/common';
import { OAuthInteraction, type ConsentView, type LoginHints, type OAuthRequest, type OAuthUser } from 'nest-oauth2-provider';
import { UsersService } from '../users/users.service';
import { destroySession, renderToString, type PageRequest } from '../../web/page-response';
import { MAX_LOGIN_HINT } from './login-hint';

/** Who registered the app, in words: only an app SHIFT's operators registered is one SHIFT reviewed. */
const REGISTRATION_NOTES: Record<ConsentView['registration'], string> = {
  operator: 'Registered by SHIFT: an app SHIFT has reviewed.',
  developer: 'Registered by an outside developer. SHIFT has not reviewed it.',
  dynamic: 'Registered itself automatically. Nobody at SHIFT has reviewed it.',
  url: 'Known only by its web address. Nobody at SHIFT has reviewed it.',
};

/**
 * Tells the authorization endpoint who is logged in to SHIFT (the session) and how (a password, at
 * the session's `authTime`), sends everyone else to SHIFT's login form, renders consent in SHIFT's
 * look, and signs the user out when a connected app asks (OpenID Connect RP-Initiated Logout).
 */
@Injectable()
export class ShiftInteraction extends OAuthInteraction {
  constructor(private readonly users: UsersService) {
    super();
  }

  async currentUser(req: OAuthRequest): Promise<OAuthUser | undefined> {
    const session = (req.raw as Partial<PageRequest>).session;
    const user = session?.userId ? await this.users.findById(session.userId) : null;
    if (!user) return undefined;
    return {
      id: user.id,
      name: `${user.firstName} ${user.lastName}`,
      // A session from before SHIFT recorded login times has none: OpenID requests with max_age then ask again.
      authTime: session?.authTime === undefined ? undefined : new Date(session.authTime),
      // SHIFT's only way in is the password form (RFC 8176 §2 `pwd`).
      amr: ['pwd'],
    };
  }

  /**
   * SHIFT's login form. `forceLogin` (prompt=login, an expired max_age) and `prompt=select_account`
   * show the form even to a logged-in user, and a successful login replaces the session; a
   * `login_hint` prefills the username (only that: it is the client's guess, not the user's word).
   */
  loginUrl(returnTo: string, _req: OAuthRequest, forceLogin: boolean, hints?: LoginHints): string {
    const query = new URLSearchParams({ return_to: returnTo });
    if (forceLogin || hints?.selectAccount) query.set('prompt', 'login');
    const hint = hints?.loginHint?.trim();
    if (hint && hint.length <= MAX_LOGIN_HINT) query.set('login_hint', hint);
    return `/login?${query.toString()}`;
  }

  /** RP-Initiated Logout: SHIFT forgets the login, as its own "Log out" button does; the stale cookie then finds no session. */
  override async endSession(req: OAuthRequest): Promise<void> {
    const raw = req.raw as Partial<PageRequest>;
    if (raw.session) await destroySession(raw as PageRequest);
  }

  /** The consent page through SHIFT's own templates; Handlebars escapes every value, and every field is posted back. */
  override async renderConsent(view: ConsentView, req: OAuthRequest): Promise<string> {
    const teamId = typeof req.query.shift_team_id === 'string' ? req.query.shift_team_id : undefined;
    const team = teamId ? (await this.users.teamsOf(view.user.id)).find((t) => t.id === teamId) : undefined;
    const locals = {
      title: `Connect ${view.client.name}`,
      user: view.user,
      view,
      hiddenFields: Object.entries(view.fields).map(([name, value]) => ({ name, value })),
      // Asked again (a public client, every time) or for more (step-up): the page says which is which.
      newScopes: view.scopes.filter((s) => !s.alreadyApproved),
      approvedScopes: view.scopes.filter((s) => s.alreadyApproved),
      team,
      registration: REGISTRATION_NOTES[view.registration],
      reviewed: view.registration === 'operator',
      // A URL client's name is only what its document says: warn when nothing but a local program gets the code.
      loopbackWarning: Boolean(view.clientIdHost && view.loopbackOnly),
      // Only the host: a link text a person can check against the app they meant to use.
      homeHost: view.client.clientUri && URL.canParse(view.client.clientUri) ? new URL(view.client.clientUri).host : undefined,
    };
    return renderToString(req.raw, 'consent', locals);
  }
}
