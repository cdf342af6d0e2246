import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';
import { filesOf } from './demo-files';

/**
 * SHIFT Files' API. The guard is the library's, as on SHIFT itself; here it asks SHIFT about each token
 * (RFC 7662 introspection, cached briefly) and accepts only tokens minted for SHIFT Files.
 */
@Controller('v1/files')
@UseGuards(BearerGuard)
export class FilesController {
  /** The caller's files: needs `files:read`. */
  @Get()
  @Scopes('files:read')
  @Header('Cache-Control', 'no-store')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { files: auth.userId ? filesOf(auth.userId) : [] };
  }
}
