import { Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OAuthRateLimiter, TooManyRequestsError } from 'nest-oauth2-provider';
import type { SampleSettings } from '../../sample-config';
import { PageExceptionFilter } from '../../web/page-exception.filter';
import {
  clearCookie,
  destroySession,
  redirect,
  regenerateSession,
  render,
  saveSession,
  setHeader,
  type PageRequest,
  type PageResponse,
} from '../../web/page-response';
import { assertCsrf, csrfToken, safeReturnPath, takeNotice } from '../../web/web-security';
import { normalizeUsername } from '../users/username';
import { usernameFromHint } from './login-hint';
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
  async page(
    @Req() req: PageRequest,
    @Res() res: PageResponse,
    @Query('return_to') returnTo?: string,
    @Query('prompt') prompt?: string,
    @Query('login_hint') loginHint?: string,
  ): Promise<void> {
    const back = safeReturnPath(returnTo);
    // prompt=login: a connected app wants a fresh password, even from a logged-in user (OpenID Connect Core §3.1.2.1).
    if (req.session.userId && prompt !== 'login') return redirect(res, back ?? '/');
    const username = usernameFromHint(loginHint);
    await render(res, 'login', { title: 'Log in', csrf: csrfToken(req), returnTo: back, username, notice: takeNotice(req) });
  }

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    assertCsrf(req);
    const body = req.body ?? {};
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const back = safeReturnPath(body.return_to);
    // Normalised once: the rate-limit key and the lookup must name the same account.
    const account = normalizeUsername(username);
    if (!(await this.withinRateLimit(req, res, account, username, back))) return;
    const user = account && password ? await this.users.authenticate(account, password) : undefined;
    if (!user) {
      // One message for an unknown user and a wrong password, so the form does not reveal who has an account.
      await render(
        res,
        'login',
        { title: 'Log in', csrf: csrfToken(req), returnTo: back, username, error: 'Wrong username or password.' },
        401,
      );
      return;
    }
    await regenerateSession(req);
    req.session.userId = user.id;
    req.session.authTime = Date.now();
    await saveSession(req);
    redirect(res, back ?? '/', 303);
  }

  /**
   * Counts the attempt per IP and per (normalised) account, before the slow password hash; answers
   * 429 past either limit. `req.ip` honours X-Forwarded-For only from the hops TRUST_PROXY names.
   */
  private async withinRateLimit(
    req: PageRequest,
    res: PageResponse,
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
      setHeader(res, 'Retry-After', String(error.retryAfterSeconds));
      const wait = `Too many attempts. Try again in ${Math.ceil(error.retryAfterSeconds / 60)} minute(s).`;
      await render(res, 'login', { title: 'Log in', csrf: csrfToken(req), returnTo: back, username, error: wait }, 429);
      return false;
    }
  }

  @Post('logout')
  async logout(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    assertCsrf(req);
    await destroySession(req);
    clearCookie(res, 'shift_sid');
    redirect(res, '/login', 303);
  }
}
