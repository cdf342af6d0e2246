import type { Type } from '@nestjs/common';
import { AuthorizeController } from './authorize.controller';
import { MetadataController } from './metadata.controller';
import { TokenController } from './token.controller';

/** Controllers mounted under the `prefix` option (`{prefix}/auth`, `/token`, …). */
export const PREFIXED_CONTROLLERS: Type[] = [AuthorizeController, TokenController];

/** Controllers mounted at the root (`/.well-known/…`). */
export const ROOT_CONTROLLERS: Type[] = [MetadataController];
