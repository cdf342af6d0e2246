import { SetMetadata } from '@nestjs/common';
import { OAUTH_SCOPES_METADATA } from '../oauth.constants';

/**
 * Scopes a bearer token must hold — all of them — to reach a handler or every handler of a controller.
 * A handler's `@Scopes()` replaces its controller's.
 * @publicApi
 * @example
 * @Get('me') @UseGuards(BearerGuard) @Scopes('profile')
 * me(@OAuthAuthorization() auth: ResourceAuthorization) {}
 */
export const Scopes = (...scopes: string[]) => SetMetadata(OAUTH_SCOPES_METADATA, scopes);
