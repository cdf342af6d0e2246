import { Injectable } from '@nestjs/common';
import { OAuthInteraction, type ConsentView, type OAuthRequest, type OAuthUser } from 'nest-oauth2-provider';
import { UsersService } from '../users/users.service';
import { renderToString, type PageRequest } from '../../web/page-response';

/** Who registered the app, in words: only an app SHIFT's operators registered is one SHIFT reviewed. */
const REGISTRATION_NOTES: Record<ConsentView['registration'], string> = {
  operator: 'Registered by SHIFT: an app SHIFT has reviewed.',
  developer: 'Registered by an outside developer. SHIFT has not reviewed it.',
  dynamic: 'Registered itself automatically. Nobody at SHIFT has reviewed it.',
  url: 'Known only by its web address. Nobody at SHIFT has reviewed it.',
};

/** Tells the authorization endpoint who is logged in to SHIFT (the session) and renders consent in SHIFT's look. */
@Injectable()
export class ShiftInteraction extends OAuthInteraction {
  constructor(private readonly users: UsersService) {
    super();
  }

  async currentUser(req: OAuthRequest): Promise<OAuthUser | undefined> {
    const userId = (req.raw as Partial<PageRequest>).session?.userId;
    const user = userId ? await this.users.findById(userId) : null;
    return user ? { id: user.id, name: `${user.firstName} ${user.lastName}` } : undefined;
  }

  loginUrl(returnTo: string, _req: OAuthRequest, forceLogin: boolean): string {
    return `/login?return_to=${encodeURIComponent(returnTo)}${forceLogin ? '&prompt=login' : ''}`;
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
