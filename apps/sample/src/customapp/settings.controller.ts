import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { PageExceptionFilter } from '../web/page-exception.filter';
import { redirect, render, saveSession, type PageRequest, type PageResponse } from '../web/page-response';
import { assertCsrf, csrfToken, takeNotice } from '../web/web-security';
import { CUSTOMAPP_CONFIG, type CustomAppConfig } from './customapp.config';
import { friendlyShiftError } from './friendly-errors';
import { ShiftClient } from './shift-api/shift-client';
import { CustomAppSettings } from './storage/customapp-settings.service';

/** RFC 6749 §2.2 puts no limit on a client id; SHIFT's are at most 255 characters, secrets far less. */
const MAX_FIELD = 512;

/**
 * CustomApp's settings: the client id and secret of its registration at SHIFT, pasted from SHIFT's
 * developer portal, checked with SHIFT before they are kept (the secret encrypted). It stands for
 * the admin screen of a real app, which would sit behind that app's own sign-in.
 */
@Controller('settings')
@UseFilters(PageExceptionFilter)
export class SettingsController {
  constructor(
    @Inject(CUSTOMAPP_CONFIG) private readonly config: CustomAppConfig,
    private readonly settings: CustomAppSettings,
    private readonly shift: ShiftClient,
  ) {}

  @Get()
  async page(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    await this.renderPage(req, res, { notice: takeNotice(req) });
  }

  @Post()
  async save(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    assertCsrf(req);
    const field = (name: string) => (typeof req.body?.[name] === 'string' ? (req.body[name] as string).trim() : '');
    const clientId = field('client_id');
    const clientSecret = field('client_secret');
    if (this.settings.credentialsFromEnvironment()) {
      return this.renderPage(
        req,
        res,
        { clientId, error: 'CUSTOMAPP_CLIENT_ID and CUSTOMAPP_CLIENT_SECRET are set: change them there.' },
        409,
      );
    }
    if (!clientId || !clientSecret || clientId.length > MAX_FIELD || clientSecret.length > MAX_FIELD) {
      return this.renderPage(req, res, { clientId, error: 'Paste both the client ID and the client secret from SHIFT.' }, 400);
    }
    let accepted: boolean;
    try {
      accepted = await this.shift.acceptsCredentials({ clientId, clientSecret });
    } catch (err) {
      const { status, page } = friendlyShiftError(err);
      return this.renderPage(req, res, { clientId, error: page.message }, status);
    }
    if (!accepted) {
      return this.renderPage(
        req,
        res,
        {
          clientId,
          error: 'SHIFT does not accept this client ID and secret. Check them, or rotate the secret in SHIFT and paste the new one.',
        },
        400,
      );
    }
    await this.settings.saveCredentials({ clientId, clientSecret }, 'settings');
    req.session.notice = 'CustomApp now signs in to SHIFT as this app.';
    await saveSession(req);
    redirect(res, '/settings', 303);
  }

  private async renderPage(
    req: PageRequest,
    res: PageResponse,
    locals: { notice?: string; clientId?: string; error?: string },
    status = 200,
  ) {
    const fromEnvironment = this.settings.credentialsFromEnvironment();
    const current = await this.settings.credentials().catch(() => undefined);
    await render(
      res,
      'settings',
      {
        title: 'Settings',
        csrf: csrfToken(req),
        redirectUri: this.config.redirectUri,
        postLogoutRedirectUri: this.config.postLogoutRedirectUri,
        scope: this.config.scope,
        shiftIssuer: this.config.shiftIssuer,
        currentClientId: current?.clientId,
        source: fromEnvironment ? 'environment' : await this.settings.credentialsSource(),
        fromEnvironment,
        ...locals,
      },
      status,
    );
  }
}
