import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { WELL_KNOWN_ROUTE, WellKnownMiddleware } from '../http/well-known.middleware';
import { OAuthResourceConfigurableModuleClass } from './oauth-resource.module-definition';

/**
 * Makes the host app a resource server of an authorization server on another host: `BearerGuard`,
 * `@Scopes()` and `@OAuthAuthorization()` work as with `OAuthModule`, validating tokens by
 * introspection (RFC 7662) at the authorization server found from its metadata (RFC 8414), and the
 * app serves its protected resource metadata (RFC 9728). No database and no TypeORM.
 * @publicApi
 * @example
 * OAuthResourceModule.forRoot({
 *   issuer: 'https://shift.example',
 *   resource: 'https://files.shift.example/',
 *   introspection: { clientId: process.env.INTROSPECTION_CLIENT_ID, clientSecret: process.env.INTROSPECTION_CLIENT_SECRET },
 *   scopes: ['files:read'],
 * })
 */
@Module({})
export class OAuthResourceModule extends OAuthResourceConfigurableModuleClass implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WellKnownMiddleware).forRoutes({ path: WELL_KNOWN_ROUTE, method: RequestMethod.GET });
  }
}
