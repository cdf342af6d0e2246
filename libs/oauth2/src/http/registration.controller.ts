import { Controller, Delete, Get, Inject, Param, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
import { jsonResponse } from '../core/oauth-response';
import { DynamicRegistration } from '../core/registration/dynamic-registration';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/**
 * `POST {prefix}/register` (RFC 7591) and `GET`/`PUT`/`DELETE {prefix}/register/{client_id}`
 * (RFC 7592). Always mounted; answers 404 while `registration.enabled` is off.
 */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // authenticated by initial and registration access tokens; a host's global BearerGuard must not block it
export class RegistrationController {
  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly registration: DynamicRegistration,
  ) {}

  @Post('register')
  async register(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    if (!this.enabled(res)) return;
    writeOAuthResponse(res, await this.registration.register(toOAuthRequest(req)));
  }

  // Without a client id: the management endpoint of no client, answered as an unknown one (401).
  @Get('register')
  async readNone(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    return this.read(req, res, '');
  }

  @Put('register')
  async updateNone(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    return this.update(req, res, '');
  }

  @Delete('register')
  async removeNone(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    return this.remove(req, res, '');
  }

  @Get('register/:clientId')
  async read(@Req() req: unknown, @Res() res: unknown, @Param('clientId') clientId: string): Promise<void> {
    if (!this.enabled(res)) return;
    writeOAuthResponse(res, await this.registration.read(toOAuthRequest(req), clientId));
  }

  @Put('register/:clientId')
  async update(@Req() req: unknown, @Res() res: unknown, @Param('clientId') clientId: string): Promise<void> {
    if (!this.enabled(res)) return;
    writeOAuthResponse(res, await this.registration.update(toOAuthRequest(req), clientId));
  }

  @Delete('register/:clientId')
  async remove(@Req() req: unknown, @Res() res: unknown, @Param('clientId') clientId: string): Promise<void> {
    if (!this.enabled(res)) return;
    writeOAuthResponse(res, await this.registration.remove(toOAuthRequest(req), clientId));
  }

  /** False, after answering 404, while registration is off: the endpoint does not exist then. */
  private enabled(res: unknown): boolean {
    if (this.options.registration.enabled) return true;
    writeOAuthResponse(res, jsonResponse(404, { error: 'not_found', error_description: 'Dynamic client registration is not enabled' }));
    return false;
  }
}
