// The README's "Resources and audiences" snippets, compiled with the rest of the project (strict) and
// checked against the README by test/docs-snippets.e2e-spec.ts.
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import {
  BearerGuard,
  OAuthAuthorization,
  OAuthModule,
  OAuthResourceModule,
  Resource,
  Scopes,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';

// #region authorization-server
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: {
        profile: 'See your name and email address',
        'files:read': 'See your files',
        offline_access: 'Stay connected',
      },
      resources: {
        'https://shift.example/v1/': { scopes: ['profile'], name: 'SHIFT' },
        'https://files.shift.example/': { scopes: ['files:read'], name: 'SHIFT Files', accessTokenTtl: 600 },
      },
      defaultResource: 'https://shift.example/v1/', // for clients that send no `resource`
      resource: 'https://shift.example/v1/', // what this app's own BearerGuard accepts
    }),
  ],
})
export class ShiftModule {}
// #endregion authorization-server

// #region per-controller
@Controller('files')
@UseGuards(BearerGuard)
@Resource('https://files.shift.example/') // this controller serves another configured resource
export class FilesOnShiftController {
  @Get()
  @Scopes('files:read')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { audience: auth.audience, owner: auth.userId }; // audience: 'https://files.shift.example/'
  }
}
// #endregion per-controller

// #region remote-resource-server
@Controller('v1/files')
@UseGuards(BearerGuard)
export class FilesController {
  @Get()
  @Scopes('files:read')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { owner: auth.userId, files: [] };
  }
}

@Module({
  imports: [
    OAuthResourceModule.forRoot({
      issuer: 'https://shift.example', // its RFC 8414 metadata names the introspection endpoint
      resource: 'https://files.shift.example/', // tokens must carry this audience
      introspection: { clientId: process.env.FILES_CLIENT_ID!, clientSecret: process.env.FILES_CLIENT_SECRET! },
      scopes: ['files:read'], // published in its RFC 9728 document
      cache: { ttl: 30 }, // seconds a revoked token may still pass here
    }),
  ],
  controllers: [FilesController],
})
export class FilesModule {}
// #endregion remote-resource-server
