import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ConnectedApps } from 'nest-oauth2-provider';
import { PageExceptionFilter } from '../../web/page-exception.filter';
import { redirect, render, type PageRequest, type PageResponse } from '../../web/page-response';
import { assertCsrf, csrfToken, takeNotice } from '../../web/web-security';
import { SHIFT_SCOPES } from '../shift-oauth.options';
import { UsersService } from '../users/users.service';

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "Connected apps": the apps the logged-in user approved, and a button to revoke each (RFC 6749 §10.2). */
@Controller('account/apps')
@UseFilters(PageExceptionFilter)
export class ConnectedAppsController {
  constructor(
    private readonly apps: ConnectedApps,
    private readonly users: UsersService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    const user = req.session.userId ? await this.users.findById(req.session.userId) : null;
    if (!user) return redirect(res, `/login?return_to=${encodeURIComponent('/account/apps')}`);
    const apps = (await this.apps.listForUser(user.id)).map((app) => ({
      ...app,
      scopes: app.scopes.map((scope) => SHIFT_SCOPES[scope] ?? scope),
      firstUsed: DATE.format(app.firstUsedAt),
      lastUsed: DATE.format(app.lastUsedAt),
    }));
    await render(res, 'connected-apps', { title: 'Connected apps', user, apps, csrf: csrfToken(req), notice: takeNotice(req) });
  }

  @Post('revoke')
  async revoke(@Req() req: PageRequest, @Res() res: PageResponse, @Body('client_id') clientId: unknown): Promise<void> {
    assertCsrf(req);
    const userId = req.session.userId;
    if (!userId) return redirect(res, '/login', 303);
    if (typeof clientId === 'string' && clientId) {
      const app = (await this.apps.listForUser(userId)).find((a) => a.clientId === clientId);
      await this.apps.revoke(userId, clientId);
      if (app) req.session.notice = `${app.clientName} can no longer access your SHIFT account.`;
    }
    redirect(res, '/account/apps', 303);
  }
}
