import { Body, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UsersService } from './users.service';

@Controller('login')
export class LoginController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(@Query('return_to') returnTo: unknown, @Query('failed') failed: unknown): string {
    return `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Log in</title>
<form method="post" action="/login">
  ${failed ? '<p role="alert">Wrong username or password</p>' : ''}
  <input type="hidden" name="return_to" value="${escapeHtml(localPath(returnTo))}">
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Log in</button>
</form></html>`;
  }

  @Post()
  login(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): void {
    // A form on another site must not log the visitor in as someone else (login CSRF).
    if (!sameOrigin(req)) return void res.sendStatus(403);
    const returnTo = localPath(body.return_to);
    const user = this.users.check(body.username, body.password);
    if (!user) return res.redirect(303, `/login?failed=1&return_to=${encodeURIComponent(returnTo)}`);
    // A new session id at login, so an id planted before it is worth nothing (session fixation).
    req.session.regenerate((error) => {
      if (error) return res.sendStatus(500);
      req.session.userId = user.id;
      req.session.displayName = user.name;
      res.redirect(303, returnTo); // back to the authorization request
    });
  }
}

/** Only a path on this site: never `//other.example` or a full URL, so the login is no open redirect. */
function localPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/** Browsers name the page a form was posted from in `Origin`; only this site's own page may log in. */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  return origin === undefined || (URL.canParse(origin) && new URL(origin).host === req.headers.host);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
