/**
 * Design note: RFC 8414 §3 puts an issuer's path after the well-known segment, and the two routers
 * share no multi-segment wildcard (Express 5 wants `*name`, Fastify's find-my-way a bare trailing
 * `*`), so this registers one route per issuer depth, `:s0` to `:s7`, which both read the same way.
 * It relies on Nest registering an array of paths for one handler and binding each named segment to
 * `@Param()` on both platforms (checked by `nest-internals.spec.ts`). What breaks it: an issuer with
 * more than eight path segments (answered 404), or a router that stops accepting `:name` segments.
 */
import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { AuthorizationServerMetadata } from '../core/metadata';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/**
 * `GET /.well-known/oauth-authorization-server` (RFC 8414 §3). The path-inserted form of an issuer
 * with a path (§3.1) is served by `WellKnownMiddleware`, with the RFC 9728 documents.
 */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // the endpoints authenticate clients themselves; a host's global BearerGuard must not block them
export class MetadataController {
  constructor(private readonly metadata: AuthorizationServerMetadata) {}

  @Get('.well-known/oauth-authorization-server')
  root(@Req() req: unknown, @Res() res: unknown): void {
    writeOAuthResponse(res, this.metadata.handle(toOAuthRequest(req), ''));
  }
}
