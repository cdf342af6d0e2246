import { Module, type DynamicModule } from '@nestjs/common';
import { OAUTH_RESOURCE_DEFAULTS, OAuthResourceModule } from 'nest-oauth2-provider';
import { FilesController } from './files.controller';

/** How SHIFT Files finds SHIFT and which tokens are its own. */
export interface FilesSettings {
  /** SHIFT's issuer: SHIFT Files reads its metadata (RFC 8414) to find its JWK Set. */
  issuer: string;
  /** SHIFT Files' resource identifier: the audience its tokens must carry (RFC 8707). */
  resource: string;
  /** SHIFT's `JWKS_MAX_AGE`, when set: the keys are kept no longer than SHIFT says, however short. */
  jwksMaxAge?: number;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`; unset = the library's 30. */
  clockTolerance?: number;
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
    // The library keeps a set at least 30 s and fetches at most every 30 s: with a shorter max-age
    // SHIFT would promote a next key before this server's copy of the set holds it.
    const atMost = (seconds: number) => Math.min(seconds, settings.jwksMaxAge ?? seconds);
    const { cooldown, maxAge } = OAUTH_RESOURCE_DEFAULTS.jwks;
    return {
      module: FilesModule,
      imports: [
        OAuthResourceModule.forRoot({
          issuer: settings.issuer,
          resource: settings.resource,
          scopes: ['files:read'],
          resourceName: 'SHIFT Files',
          jwks: { cooldown: atMost(cooldown), maxAge: { min: atMost(maxAge.min) } },
          clockTolerance: settings.clockTolerance,
        }),
      ],
      controllers: [FilesController],
    };
  }
}
