import { Module, type DynamicModule } from '@nestjs/common';
import { OAuthResourceModule } from 'nest-oauth2-provider';
import { FilesController } from './files.controller';

/** How SHIFT Files finds SHIFT and proves who it is when it introspects tokens there. */
export interface FilesSettings {
  /** SHIFT's issuer: SHIFT Files reads its metadata (RFC 8414) to find the introspection endpoint. */
  issuer: string;
  /** SHIFT Files' resource identifier: the audience its tokens must carry (RFC 8707). */
  resource: string;
  /** Its client at SHIFT, allowed to introspect (RFC 7662 §2.1). */
  credentials: { clientId: string; clientSecret: string };
}

/**
 * SHIFT Files: a resource server on another host. It does not run the authorization server and shares
 * no database with SHIFT; everything it knows about a token comes from SHIFT over HTTP.
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
          introspection: settings.credentials,
          scopes: ['files:read'],
          resourceName: 'SHIFT Files',
        }),
      ],
      controllers: [FilesController],
    };
  }
}
