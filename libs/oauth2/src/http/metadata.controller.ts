import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { AuthorizationServerMetadata } from '../core/metadata';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { Public } from './public.decorator';

const WELL_KNOWN = '.well-known/oauth-authorization-server';

/** `GET /.well-known/oauth-authorization-server[/issuer-path]` (RFC 8414 §3). */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@Public() // the endpoints authenticate clients themselves; a host's global BearerGuard must not block them
export class MetadataController {
  constructor(private readonly metadata: AuthorizationServerMetadata) {}

  @Get(WELL_KNOWN)
  root(@Req() req: unknown, @Res() res: unknown): void {
    writeOAuthResponse(res, this.metadata.handle(toOAuthRequest(req), ''));
  }

  @Get(`${WELL_KNOWN}/*path`)
  suffixed(@Req() req: unknown, @Res() res: unknown, @Param('path') path: string | string[]): void {
    const suffix = Array.isArray(path) ? path.join('/') : path;
    writeOAuthResponse(res, this.metadata.handle(toOAuthRequest(req), suffix));
  }
}
