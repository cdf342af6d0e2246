import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { PageExceptionFilter } from '../web/page-exception.filter';
import { redirect, regenerateSession, render, saveSession, type PageRequest, type PageResponse } from '../web/page-response';
import { assertCsrf, csrfToken, takeNotice } from '../web/web-security';
import { ConnectionLostError, ConnectionsService } from './connections.service';
import { OAuthCallbackHandler } from './oauth-callback.handler';
import { friendlyShiftError } from './friendly-errors';
import { createPkcePair, createState } from './shift-api/pkce';
import { ShiftClient } from './shift-api/shift-client';

const TIME = new Intl.DateTimeFormat('en', { timeStyle: 'medium' });

/** CustomApp's pages: home ("Log in with SHIFT" or your profile), the OAuth callback, "Disconnect". */
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
          profile: view.profile,
          initials: `${view.profile.first_name?.[0] ?? ''}${view.profile.last_name?.[0] ?? ''}`.toUpperCase(),
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

  /** Step 1: a fresh state and PKCE verifier in the session, then off to SHIFT's authorization endpoint. */
  @Get('oauth/start')
  async start(@Req() req: PageRequest, @Res() res: PageResponse, @Query('shift_team_id') teamId?: string): Promise<void> {
    const state = createState();
    const { codeVerifier, codeChallenge } = createPkcePair();
    const shiftTeamId = typeof teamId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(teamId) ? teamId : undefined;
    let url: string;
    try {
      url = await this.shift.authorizationUrl(state, codeChallenge, shiftTeamId);
    } catch (err) {
      return this.renderShiftError(res, err);
    }
    req.session.pending = { state, codeVerifier, shiftTeamId, startedAt: Date.now() };
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
