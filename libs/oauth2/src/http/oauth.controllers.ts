import type { Type } from '@nestjs/common';
import { AuthorizeController } from './authorize.controller';
import { EndSessionController } from './end-session.controller';
import { IntrospectionController } from './introspection.controller';
import { JwksController } from './jwks.controller';
import { MetadataController } from './metadata.controller';
import { RegistrationController } from './registration.controller';
import { RevocationController } from './revocation.controller';
import { TokenController } from './token.controller';
import { UserInfoController } from './userinfo.controller';

/** Controllers mounted under the `prefix` option (`{prefix}/auth`, `/token`, …). */
export const PREFIXED_CONTROLLERS: Type[] = [
  AuthorizeController,
  TokenController,
  RevocationController,
  IntrospectionController,
  JwksController,
  RegistrationController,
  UserInfoController,
  EndSessionController,
];

/** Controllers mounted at the root (`/.well-known/…`). */
export const ROOT_CONTROLLERS: Type[] = [MetadataController];
