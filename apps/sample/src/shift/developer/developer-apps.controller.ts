import { randomBytes } from 'node:crypto';
import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ClientRegistrationError, TooManyRequestsError, type OAuthClient } from 'nest-oauth2-provider';
import { PageExceptionFilter } from '../../web/page-exception.filter';
import { redirect, render, saveSession, setHeader, type PageRequest, type PageResponse } from '../../web/page-response';
import { assertCsrf, csrfToken, takeNotice } from '../../web/web-security';
import type { ShiftUser } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { appFormOf, emptyAppForm, GRANT_CHOICES, readAppForm, type AppForm } from './app-form';
import { DeveloperAppsService, type AppWithSecret } from './developer-apps.service';

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

/** How long the old secret may keep working after a rotation, as the rotate form offers it. */
const OVERLAPS: readonly { seconds: number; label: string }[] = [
  { seconds: 0, label: 'Stop the old secret now' },
  { seconds: 3600, label: 'Keep it working for 1 hour' },
  { seconds: 86400, label: 'Keep it working for 1 day' },
  { seconds: 7 * 86400, label: 'Keep it working for 7 days' },
];

const HOME = '/developer/apps';

/**
 * "Developer settings → Your apps": a signed-in SHIFT user registers apps (OAuth clients they own),
 * sees each secret once, rotates, edits and deletes them. Every form carries the session's CSRF
 * token; the two that reveal a secret also carry a one-time token, so a reload posts nothing twice.
 */
@Controller('developer/apps')
@UseFilters(PageExceptionFilter)
export class DeveloperAppsController {
  constructor(
    private readonly apps: DeveloperAppsService,
    private readonly users: UsersService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    const user = await this.signedIn(req);
    if (!user) return redirect(res, `/login?return_to=${encodeURIComponent(HOME)}`);
    const apps = (await this.apps.list(user.id)).map((client) => ({
      ...this.summary(client),
      registered: DATE.format(client.createdAt),
    }));
    await render(res, 'developer-apps', { title: 'Your apps', user, apps, csrf: csrfToken(req), notice: takeNotice(req) });
  }

  @Get('new')
  async newApp(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    const user = await this.signedIn(req);
    if (!user) return redirect(res, `/login?return_to=${encodeURIComponent(`${HOME}/new`)}`);
    await this.renderNewForm(req, res, user, emptyAppForm());
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() res: PageResponse): Promise<void> {
    assertCsrf(req);
    const user = await this.signedIn(req);
    if (!user) return redirect(res, '/login', 303);
    const form = readAppForm(req.body);
    if (!this.takeSecretFormNonce(req)) {
      req.session.notice = 'That form was already sent. An app’s secret is shown only once: rotate it if you did not copy it.';
      await saveSession(req);
      return redirect(res, HOME, 303);
    }
    let created: AppWithSecret;
    try {
      created = await this.apps.register(user.id, form);
    } catch (error) {
      this.restoreSecretFormNonce(req);
      if (error instanceof TooManyRequestsError) {
        setHeader(res, 'Retry-After', String(error.retryAfterSeconds));
        const wait = `You have registered many apps lately. Try again in ${Math.ceil(error.retryAfterSeconds / 60)} minute(s).`;
        return this.renderNewForm(req, res, user, form, [wait], 429);
      }
      if (error instanceof ClientRegistrationError) return this.renderNewForm(req, res, user, form, error.problems, 400);
      throw error;
    }
    await this.renderSecret(req, res, user, created, 'registered');
  }

  @Get(':id')
  async show(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string): Promise<void> {
    const user = await this.signedIn(req);
    if (!user) return redirect(res, `/login?return_to=${encodeURIComponent(`${HOME}/${encodeURIComponent(id)}`)}`);
    const client = await this.apps.get(user.id, id);
    await this.renderApp(req, res, user, client, appFormOf(client), takeNotice(req));
  }

  @Post(':id')
  async update(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string): Promise<void> {
    assertCsrf(req);
    const user = await this.signedIn(req);
    if (!user) return redirect(res, '/login', 303);
    const client = await this.apps.get(user.id, id);
    const form = { ...readAppForm(req.body), kind: appFormOf(client).kind };
    try {
      await this.apps.update(user.id, id, form);
    } catch (error) {
      if (!(error instanceof ClientRegistrationError)) throw error;
      return this.renderApp(req, res, user, client, form, undefined, error.problems, 400);
    }
    req.session.notice = 'Your changes are saved.';
    await saveSession(req);
    redirect(res, appPath(id), 303);
  }

  @Post(':id/rotate-secret')
  async rotate(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string): Promise<void> {
    assertCsrf(req);
    const user = await this.signedIn(req);
    if (!user) return redirect(res, '/login', 303);
    const client = await this.apps.get(user.id, id);
    const overlap = OVERLAPS.find((o) => String(o.seconds) === req.body?.overlap)?.seconds;
    if (overlap === undefined) {
      return this.renderApp(req, res, user, client, appFormOf(client), undefined, ['overlap: pick one of the choices'], 400);
    }
    if (!this.takeSecretFormNonce(req)) {
      req.session.notice = 'That form was already sent: the secret was rotated once, and the new one was shown only once.';
      await saveSession(req);
      return redirect(res, appPath(id), 303);
    }
    let rotated: AppWithSecret;
    try {
      rotated = await this.apps.rotateSecret(user.id, id, overlap);
    } catch (error) {
      this.restoreSecretFormNonce(req);
      if (!(error instanceof ClientRegistrationError)) throw error;
      return this.renderApp(req, res, user, client, appFormOf(client), undefined, error.problems, 400);
    }
    const label = OVERLAPS.find((o) => o.seconds === overlap)!.label.replace(/^Keep it working/, 'The old secret keeps working');
    await this.renderSecret(req, res, user, rotated, 'rotated', overlap ? label : 'The old secret no longer works.');
  }

  @Post(':id/delete')
  async remove(@Req() req: PageRequest, @Res() res: PageResponse, @Param('id') id: string): Promise<void> {
    assertCsrf(req);
    const user = await this.signedIn(req);
    if (!user) return redirect(res, '/login', 303);
    const client = await this.apps.delete(user.id, id);
    req.session.notice = `${client.name} is deleted. Its secret and every token it held no longer work.`;
    await saveSession(req);
    redirect(res, HOME, 303);
  }

  private async signedIn(req: PageRequest): Promise<ShiftUser | null> {
    return req.session.userId ? this.users.findById(req.session.userId) : null;
  }

  /** The session's one-time token for the forms that reveal a secret, created on first use. */
  private secretFormNonce(req: PageRequest): string {
    req.session.secretFormNonce ??= randomBytes(16).toString('base64url');
    return req.session.secretFormNonce;
  }

  /** True (and the token spent) when the form carries the session's current one-time token. */
  private takeSecretFormNonce(req: PageRequest): boolean {
    const sent = req.body?._once;
    const expected = req.session.secretFormNonce;
    if (!expected || sent !== expected) return false;
    delete req.session.secretFormNonce;
    return true;
  }

  /** The form is shown again (refused input): it may be sent again. */
  private restoreSecretFormNonce(req: PageRequest): void {
    const sent = req.body?._once;
    if (typeof sent === 'string') req.session.secretFormNonce = sent;
  }

  private summary(client: OAuthClient) {
    return {
      id: client.id,
      path: appPath(client.id),
      name: client.name,
      clientUri: client.clientUri,
      description: client.description,
      kind: client.secretHash === null ? 'Public' : 'Confidential',
    };
  }

  private renderNewForm(req: PageRequest, res: PageResponse, user: ShiftUser, form: AppForm, problems: string[] = [], status = 200) {
    return render(
      res,
      'developer-app-new',
      {
        title: 'Register an app',
        user,
        csrf: csrfToken(req),
        once: this.secretFormNonce(req),
        form,
        grants: grantChoices(form),
        problems,
      },
      status,
    );
  }

  private renderApp(
    req: PageRequest,
    res: PageResponse,
    user: ShiftUser,
    client: OAuthClient,
    form: AppForm,
    notice?: string,
    problems: string[] = [],
    status = 200,
  ) {
    const rotatedUntil =
      client.previousSecretExpiresAt && client.previousSecretExpiresAt > new Date() ? client.previousSecretExpiresAt : undefined;
    return render(
      res,
      'developer-app',
      {
        title: client.name,
        user,
        csrf: csrfToken(req),
        once: this.secretFormNonce(req),
        app: { ...this.summary(client), confidential: client.secretHash !== null, registered: DATE.format(client.createdAt) },
        previousSecretUntil: rotatedUntil?.toUTCString(),
        form,
        grants: grantChoices(form),
        overlaps: OVERLAPS,
        notice,
        problems,
      },
      status,
    );
  }

  /** The one page that shows a secret: never cached, never in a URL, gone on reload. */
  private async renderSecret(req: PageRequest, res: PageResponse, user: ShiftUser, app: AppWithSecret, what: string, note?: string) {
    setHeader(res, 'Cache-Control', 'no-store');
    setHeader(res, 'Pragma', 'no-cache');
    await render(res, 'developer-app-secret', {
      title: `${app.client.name}: ${what}`,
      user,
      csrf: csrfToken(req),
      app: this.summary(app.client),
      clientSecret: app.clientSecret,
      rotated: what === 'rotated',
      note,
    });
  }
}

function appPath(id: string): string {
  return `${HOME}/${encodeURIComponent(id)}`;
}

function grantChoices(form: AppForm) {
  return GRANT_CHOICES.map((g) => ({ ...g, checked: form.grantTypes.includes(g.value) }));
}
