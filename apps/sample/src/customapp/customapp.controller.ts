import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import * as oidc from 'openid-client';
import { PageExceptionFilter } from '../web/page-exception.filter';
import { redirect, regenerateSession, render, saveSession, type PageRequest, type PageResponse } from '../web/page-response';
import { assertCsrf, csrfToken, sameSecret, takeNotice } from '../web/web-security';
import { ConnectionLostError, ConnectionsService } from './connections.service';
import { OAuthCallbackHandler } from './oauth-callback.handler';
import { friendlyShiftError } from './friendly-errors';
import { ShiftClient } from './shift-api/shift-client';

const TIME = new Intl.DateTimeFormat('en', { timeStyle: 'medium' });

/** A sign-out that takes longer than this to come back from SHIFT is not trusted to have reached it. */
const SIGN_OUT_MAX_AGE_MS = 10 * 60 * 1000;

/** CustomApp's pages: home ("Log in with SHIFT" or your profile), the OAuth callback, "Sign out", "Disconnect". */
@Controller()
@UseFilters(PageExceptionFilter)
export class CustomAppController {
  constructor(
    private readonly shift: ShiftClient,
    private readonly connections: ConnectionsService,
    private readonly callback: OAuthCallbackHandler,
  ) {}

  @Get()
  async home(@Req() req: PageRequest, @Res() res: PageResponse, @Query('shift_team_id') teamId?: string): Promise<void> {
    const notice = takeNotice(req);
    const connectionId = req.session.connectionId;
    if (connectionId) {
      try {
        const view = await this.connections.load(connectionId);
        const team = view.teams?.find((t) => t.id === view.shiftTeamId);
        return await render(res, 'profile', {
          title: 'Your profile',
          notice,
          csrf: csrfToken(req),
          identity: view.identity,
          profile: view.profile,
          apiProfile: JSON.stringify(view.profile, null, 2),
          // The ID token says who signed in; a connection from before OpenID Connect has only the API's answer.
          name: view.identity?.name ?? `${view.profile.first_name} ${view.profile.last_name}`,
          email: view.identity?.email ?? view.profile.email,
          initials: initials(view.identity?.name ?? `${view.profile.first_name ?? ''} ${view.profile.last_name ?? ''}`),
          teams: view.teams?.map((t) => ({ ...t, current: t.id === view.shiftTeamId })),
          team,
          files: view.files?.map((f) => ({ ...f, kilobytes: Math.max(1, Math.round(f.size / 1024)) })),
          audienceCheck: view.audienceCheck,
          scopes: view.scope.split(' ').filter(Boolean),
          expiresAt: TIME.format(view.accessTokenExpiresAt),
          refreshCount: view.refreshCount,
          refreshedAt: view.refreshedAt ? TIME.format(view.refreshedAt) : undefined,
          connectedAt: TIME.format(view.connectedAt),
        });
      } catch (err) {
        if (!(err instanceof ConnectionLostError)) return this.renderShiftError(res, err);
        delete req.session.connectionId;
        return await render(res, 'home', {
          title: 'Disconnected',
          disconnected: true,
          startUrl: startUrl(teamId),
        });
      }
    }
    await render(res, 'home', { title: 'Welcome', notice, startUrl: startUrl(teamId) });
  }

  /** Step 1: a fresh state, nonce and PKCE verifier in the session, then off to SHIFT's authorization endpoint. */
  @Get('oauth/start')
  async start(@Req() req: PageRequest, @Res() res: PageResponse, @Query('shift_team_id') teamId?: string): Promise<void> {
    const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const shiftTeamId = typeof teamId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(teamId) ? teamId : undefined;
    let url: string;
    try {
      url = await this.shift.authorizationUrl(checks, shiftTeamId);
    } catch (err) {
      return this.renderShiftError(res, err);
    }
    req.session.pending = { ...checks, shiftTeamId, startedAt: Date.now() };
    await saveSession(req);
    redirect(res, url, 303);
  }

  /** Steps 3–8: SHIFT sends the browser back here with a code (or an error). */
  @Get('oauth/redirect')
  async redirect(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    const pending = req.session.pending;
    delete req.session.pending;
    const outcome = await this.callback.handle(req.query, pending);
    if (outcome.kind === 'error') {
      await saveSession(req);
      return render(res, 'error', outcome.page, outcome.status);
    }
    // A new session id once connected: a session id planted before login is worth nothing (session fixation).
    await regenerateSession(req);
    req.session.connectionId = outcome.connectionId;
    req.session.notice = 'You are connected to SHIFT.';
    await saveSession(req);
    redirect(res, '/', 303);
  }

  /**
   * "Sign out", of CustomApp and of SHIFT: CustomApp's session ends here, then the browser goes to
   * SHIFT's end-session endpoint with the ID token and CustomApp's post-logout URI (OpenID Connect
   * RP-Initiated Logout §2), and SHIFT sends it back to `/signed-out` with the `state` kept in a new,
   * empty session.
   */
  @Post('sign-out')
  async signOut(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    assertCsrf(req);
    const id = req.session.connectionId;
    const idToken = id ? await this.connections.signOut(id) : undefined;
    const state = oidc.randomState();
    // A new session id: nothing of the signed-in session outlives the sign-out.
    await regenerateSession(req);
    let endSession: string | undefined;
    try {
      endSession = await this.shift.endSessionUrl(idToken, state);
    } catch {
      endSession = undefined;
    }
    if (!endSession) {
      req.session.notice = 'You are signed out of CustomApp. SHIFT could not be reached: you may still be logged in there.';
      await saveSession(req);
      return redirect(res, '/', 303);
    }
    req.session.signingOut = { state, startedAt: Date.now() };
    await saveSession(req);
    redirect(res, endSession, 303);
  }

  /** SHIFT's way back after signing the user out (OpenID Connect RP-Initiated Logout §3): `state` says it is this browser's sign-out. */
  @Get('signed-out')
  async signedOut(@Req() req: PageRequest, @Res() res: PageResponse, @Query('state') state?: string): Promise<void> {
    const pending = req.session.signingOut;
    delete req.session.signingOut;
    await saveSession(req);
    const ours =
      pending !== undefined &&
      typeof state === 'string' &&
      sameSecret(state, pending.state) &&
      Date.now() - pending.startedAt <= SIGN_OUT_MAX_AGE_MS;
    await render(res, 'signed-out', { title: 'Signed out', bothApps: ours, startUrl: startUrl(undefined) });
  }

  /** "Disconnect": revoke at SHIFT and forget the tokens. */
  @Post('disconnect')
  async disconnect(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    assertCsrf(req);
    const id = req.session.connectionId;
    if (id) await this.connections.disconnect(id);
    delete req.session.connectionId;
    req.session.notice = 'CustomApp is no longer connected to your SHIFT account.';
    await saveSession(req);
    redirect(res, '/', 303);
  }

  private renderShiftError(res: PageResponse, err: unknown): Promise<void> {
    const { status, page } = friendlyShiftError(err);
    return render(res, 'error', page, status);
  }
}

function startUrl(teamId: unknown): string {
  return typeof teamId === 'string' && teamId ? `/oauth/start?shift_team_id=${encodeURIComponent(teamId)}` : '/oauth/start';
}

/** Up to two initials of a name, for the avatar. */
function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0])
    .join('')
    .toUpperCase();
}
