import type { Type } from '@nestjs/common';

/** Controllers mounted under the `prefix` option (`{prefix}/auth`, `/token`, …). */
export const PREFIXED_CONTROLLERS: Type[] = [];

/** Controllers mounted at the root (`/.well-known/…`). */
export const ROOT_CONTROLLERS: Type[] = [];
