import { Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { OAuthRateLimiter, TooManyRequestsError } from 'nest-oauth2-provider';
import type { SampleSettings } from '../../sample-config';
import { PageExceptionFilter } from '../../web/page-exception.filter';
import { assertCsrf, csrfToken, regenerateSession, safeReturnPath, saveSession, takeNotice } from '../../web/web-security';
import { normalizeUsername } from '../users/username';
import { UsersService } from '../users/users.service';

/** SHIFT's login form (fields `username` and `password`) and logout. */
@Controller()
@UseFilters(PageExceptionFilter)
export class LoginController {
  constructor(
    private readonly users: UsersService,
    private readonly limiter: OAuthRateLimiter,
    private readonly config: ConfigService<SampleSettings, true>,
  ) {}

  @Get('login')
  page(@Req() req: Request, @Res() res: Response, @Query('return_to') returnTo?: string, @Query('prompt') prompt?: string): void {
    const back = safeReturnPath(returnTo);
    if (req.session.userId && prompt !== 'login') return res.redirect(back ?? '/');
    res.render('login', { title: 'Log in', csrf: csrfToken(req), returnTo: back, notice: takeNotice(req) });
  }

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    assertCsrf(req);
    const username = typeof req.body.username === 'string' ? req.body.username : '';
    const password = typeof req.body.password === 'string' ? req.body.password : '';
    const back = safeReturnPath(req.body.return_to);
    // Normalised once: the rate-limit key and the lookup must name the same account.
    const account = normalizeUsername(username);
    if (!(await this.withinRateLimit(req, res, account, username, back))) return;
    const user = account && password ? await this.users.authenticate(account, password) : undefined;
    if (!user) {
      // One message for an unknown user and a wrong password, so the form does not reveal who has an account.
      res.status(401).render('login', {
        title: 'Log in',
        csrf: csrfToken(req),
        returnTo: back,
        username,
        error: 'Wrong username or password.',
      });
      return;
    }
    await regenerateSession(req);
    req.session.userId = user.id;
    await saveSession(req);
    res.redirect(303, back ?? '/');
  }

  /**
   * Counts the attempt per IP and per (normalised) account, before the slow password hash; answers
   * 429 past either limit. `req.ip` honours X-Forwarded-For only from the hops TRUST_PROXY names.
   */
  private async withinRateLimit(
    req: Request,
    res: Response,
    account: string,
    username: string,
    back: string | undefined,
  ): Promise<boolean> {
    const limits = this.config.get('sample.loginRateLimit', { infer: true });
    if (!limits) return true;
    try {
      await this.limiter.consume('login:ip', req.ip ?? '', { limit: limits.perIp, ttl: 300 });
      if (account) await this.limiter.consume('login:user', account, { limit: limits.perUser, ttl: 300 });
      return true;
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(429).render('login', {
        title: 'Log in',
        csrf: csrfToken(req),
        returnTo: back,
        username,
        error: `Too many attempts. Try again in ${Math.ceil(error.retryAfterSeconds / 60)} minute(s).`,
      });
      return false;
    }
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    assertCsrf(req);
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('shift_sid', { path: '/' });
    res.redirect(303, '/login');
  }
}
