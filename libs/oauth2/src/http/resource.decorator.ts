import { SetMetadata, type CustomDecorator } from '@nestjs/common';
import { OAUTH_RESOURCE_METADATA } from '../oauth.constants';

/**
 * The protected resource (RFC 8707 identifier) a controller or handler serves, when it is not the
 * module's own `resource`: `BearerGuard` then accepts only tokens whose audience is this one, and its
 * challenges point at this resource's metadata document (RFC 9728 §5.1). A handler's wins over its
 * controller's. In an app with no `resources` configured tokens carry no audience and nothing is
 * checked, as before resources existed.
 * @publicApi
 * @example
 * @Controller('files') @UseGuards(BearerGuard) @Resource('https://files.shift.example/')
 * export class FilesController {}
 */
export const Resource = (resource: string): CustomDecorator<string> => SetMetadata(OAUTH_RESOURCE_METADATA, resource);
