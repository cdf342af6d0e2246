/**
 * Design note: RFC 8414 §3 puts an issuer's path after the well-known segment, and the two routers
 * share no multi-segment wildcard (Express 5 wants `*name`, Fastify's find-my-way a bare trailing
 * `*`), so this registers one route per issuer depth, `:s0` to `:s7`, which both read the same way.
 * It relies on Nest registering an array of paths for one handler and binding each named segment to
 * `@Param()` on both platforms (checked by `nest-internals.spec.ts`). What breaks it: an issuer with
 * more than eight path segments (answered 404), or a router that stops accepting `:name` segments.
 */
import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { AuthorizationServerMetadata } from '../core/metadata';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

const WELL_KNOWN = '.well-known/oauth-authorization-server';

/** The most path segments an issuer may have (`https://host/a/b/…`); real issuers use one or two. */
const MAX_ISSUER_SEGMENTS = 8;

/**
 * `.well-known/oauth-authorization-server/:s0`, `…/:s0/:s1`, …: one named parameter per segment,
 * because the two routers share no multi-segment wildcard (Express 5 wants `*name`, Fastify's
 * find-my-way a bare trailing `*`), while both read `:name` the same way.
 */
const SUFFIXED_PATHS = Array.from({ length: MAX_ISSUER_SEGMENTS }, (_, n) =>
  [WELL_KNOWN, ...Array.from({ length: n + 1 }, (_unused, i) => `:s${i}`)].join('/'),
);

/** `GET /.well-known/oauth-authorization-server[/issuer-path]` (RFC 8414 §3). */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // the endpoints authenticate clients themselves; a host's global BearerGuard must not block them
export class MetadataController {
  constructor(private readonly metadata: AuthorizationServerMetadata) {}

  @Get(WELL_KNOWN)
  root(@Req() req: unknown, @Res() res: unknown): void {
    writeOAuthResponse(res, this.metadata.handle(toOAuthRequest(req), ''));
  }

  @Get(SUFFIXED_PATHS)
  suffixed(@Req() req: unknown, @Res() res: unknown, @Param() params: Record<string, string>): void {
    const segments: string[] = [];
    for (let i = 0; params[`s${i}`] !== undefined; i++) segments.push(params[`s${i}`]);
    writeOAuthResponse(res, this.metadata.handle(toOAuthRequest(req), segments.join('/')));
  }
}
