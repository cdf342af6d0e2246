import { SetMetadata, type CustomDecorator } from '@nestjs/common';
import { OAUTH_SKIP_BEARER_METADATA } from '../oauth.constants';

/**
 * Lets a handler or controller through when `BearerGuard` is registered globally (`APP_GUARD`): the
 * route needs no access token. Named for the guard it skips, so it does not clash with the `Public`
 * decorator that many Nest apps define for their own authentication guard.
 * @publicApi
 * @example
 * @Get('health') @SkipBearer()
 * health() { return 'ok'; }
 */
export const SkipBearer = (): CustomDecorator<string> => SetMetadata(OAUTH_SKIP_BEARER_METADATA, true);

/**
 * The former name of {@link SkipBearer}, kept for one release.
 * @deprecated Use `@SkipBearer()`: `Public` clashes with the decorator most Nest apps define. `Public` will be removed in 0.3.
 * @publicApi
 */
export const Public = SkipBearer;
