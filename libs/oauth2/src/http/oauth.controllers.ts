import type { Type } from '@nestjs/common';
import { IntrospectionController } from './introspection.controller';
import { RevocationController } from './revocation.controller';

/** Controllers mounted under the `prefix` option (`{prefix}/auth`, `/token`, …). */
export const PREFIXED_CONTROLLERS: Type[] = [RevocationController, IntrospectionController];

/** Controllers mounted at the root (`/.well-known/…`). */
export const ROOT_CONTROLLERS: Type[] = [];
