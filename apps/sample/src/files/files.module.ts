import { Module, type DynamicModule } from '@nestjs/common';
import { OAuthResourceModule } from 'nest-oauth2-provider';
import { FilesController } from './files.controller';

/** How SHIFT Files finds SHIFT and which tokens are its own. */
export interface FilesSettings {
  /** SHIFT's issuer: SHIFT Files reads its metadata (RFC 8414) to find its JWK Set. */
  issuer: string;
  /** SHIFT Files' resource identifier: the audience its tokens must carry (RFC 8707). */
  resource: string;
}

/**
 * SHIFT Files: a resource server on another host. It does not run the authorization server and shares
 * no database with SHIFT. Its tokens are JWTs (RFC 9068) it verifies with SHIFT's public keys, fetched
 * once and kept per SHIFT's caching headers, so no request waits on SHIFT; it needs no credentials at
 * SHIFT, and refuses any token that is not such a JWT.
 */
@Module({})
export class FilesModule {
  static forRoot(settings: FilesSettings): DynamicModule {
    return {
      module: FilesModule,
      imports: [
        OAuthResourceModule.forRoot({
          issuer: settings.issuer,
          resource: settings.resource,
          scopes: ['files:read'],
          resourceName: 'SHIFT Files',
        }),
      ],
      controllers: [FilesController],
    };
  }
}
