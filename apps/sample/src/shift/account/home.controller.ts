import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SampleSettings } from '../../sample-config';
import { PageExceptionFilter } from '../../web/page-exception.filter';
import { redirect, render, type PageRequest, type PageResponse } from '../../web/page-response';
import { csrfToken, takeNotice } from '../../web/web-security';
import { UsersService } from '../users/users.service';

/** SHIFT's home page: who you are, your teams, and a way to open CustomApp from a team. */
@Controller()
@UseFilters(PageExceptionFilter)
export class HomeController {
  constructor(
    private readonly users: UsersService,
    private readonly config: ConfigService<SampleSettings, true>,
  ) {}

  @Get()
  async home(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    const user = req.session.userId ? await this.users.findById(req.session.userId) : null;
    if (!user) return redirect(res, '/login');
    const teams = (await this.users.teamsOf(user.id)).map((team) => ({
      ...team,
      customAppUrl: `${this.config.get('sample.customAppUrl', { infer: true })}/?shift_team_id=${encodeURIComponent(team.id)}`,
    }));
    await render(res, 'home', {
      title: 'Home',
      user,
      teams,
      customAppUrl: this.config.get('sample.customAppUrl', { infer: true }),
      csrf: csrfToken(req),
      notice: takeNotice(req),
    });
  }
}
