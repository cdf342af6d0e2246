import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { AuthorizationServerMetadata } from '../core/metadata';
import { OpenIdProviderConfiguration } from '../core/openid/discovery';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/**
 * `GET /.well-known/oauth-authorization-server` (RFC 8414 §3) and `GET /.well-known/openid-configuration`
 * (OpenID Connect Discovery §4). The forms of an issuer with a path (RFC 8414 §3.1, Discovery §4.1)
 * are served by `WellKnownMiddleware`, with the RFC 9728 documents.
 */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // the endpoints authenticate clients themselves; a host's global BearerGuard must not block them
export class MetadataController {
  constructor(
    private readonly metadata: AuthorizationServerMetadata,
    private readonly openIdConfiguration: OpenIdProviderConfiguration,
  ) {}

  @Get('.well-known/oauth-authorization-server')
  root(@Req() req: unknown, @Res() res: unknown): void {
    writeOAuthResponse(res, this.metadata.handle(toOAuthRequest(req), ''));
  }

  @Get('.well-known/openid-configuration')
  openid(@Req() req: unknown, @Res() res: unknown): void {
    writeOAuthResponse(res, this.openIdConfiguration.handle(toOAuthRequest(req), ''));
  }
}
