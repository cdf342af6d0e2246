import { SetMetadata } from '@nestjs/common';
import { OAUTH_PUBLIC_METADATA } from '../oauth.constants';

/**
 * Lets a handler or controller through when `BearerGuard` is registered globally (`APP_GUARD`).
 * @publicApi
 * @example
 * @Get('health') @Public()
 * health() { return 'ok'; }
 */
export const Public = () => SetMetadata(OAUTH_PUBLIC_METADATA, true);
