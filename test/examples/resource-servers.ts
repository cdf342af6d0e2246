// The snippets of docs/guide/resources.md, docs/guide/protected-resource-metadata.md and
// docs/guide/remote-resource-server.md that README.md does not show (those are in resources.ts),
// compiled with the rest of the project (strict) and checked against the pages by
// test/docs-snippets.e2e-spec.ts.
import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AccessTokenVerifier,
  BearerGuard,
  ClientRegistry,
  InvalidTokenError,
  OAuthAuthorization,
  OAuthModule,
  OAuthResourceModule,
  Scopes,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';
import { AppModule } from './getting-started-app/src/app.module';

/** What a test's table of tokens holds. */
declare const tokens: Map<string, ResourceAuthorization>;

@Injectable()
class FilesService {
  of(userId: string | null) {
    return { owner: userId, files: [] };
  }
}

// #region resources
OAuthModule.forRoot({
  issuer: 'https://shift.example',
  scopes: {
    profile: 'See your name and email address',
    'files:read': 'Read your files',
    offline_access: 'Stay connected when you are not using it',
  },
  resources: {
    'https://api.shift.example/v1/': { scopes: ['profile'], name: 'SHIFT API' },
    'https://files.shift.example/': { scopes: ['files:read'], name: 'SHIFT Files', accessTokenTtl: 300 },
  },
  defaultResource: 'https://api.shift.example/v1/',
  // …
});
// #endregion resources

export async function registerFilesSync(registry: ClientRegistry) {
  // #region client-resources
  await registry.register({
    name: 'Files sync',
    redirectUris: ['https://sync.example/cb'],
    resources: ['https://files.shift.example/'],
    defaultResource: 'https://files.shift.example/',
  });
  // #endregion client-resources
}

export async function refreshForFiles(basic: string, tokens: { refresh_token: string }) {
  // #region refresh-for-another-resource
  const files = await fetch('https://shift.example/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      resource: 'https://files.shift.example/',
    }),
  });
  // #endregion refresh-for-another-resource
  return files;
}

// #region protected-resources
OAuthModule.forRoot({
  issuer: 'https://shift.example',
  scopes: { profile: 'Read your profile', 'files:read': 'Read your files' },
  resources: {
    'https://shift.example/v1/': { scopes: ['profile'], name: 'SHIFT API' },
    'https://files.shift.example/': { scopes: ['files:read'], name: 'SHIFT Files' },
  },
  defaultResource: 'https://shift.example/v1/',
  // resource: the audience this app's BearerGuard accepts; defaults to defaultResource
});
// #endregion protected-resources

// #region resource-discovery
import * as oauth from 'oauth4webapi';

export async function discover() {
  const resource = new URL('https://shift.example/v1/');
  const response = await oauth.resourceDiscoveryRequest(resource);
  return oauth.processResourceDiscoveryResponse(resource, response); // checks `resource`
}
// #endregion resource-discovery

// #region table-verifier
class TableVerifier extends AccessTokenVerifier {
  async verify(token: string): Promise<ResourceAuthorization> {
    const found = tokens.get(token);
    if (!found) throw new InvalidTokenError('The access token is not recognized');
    return found;
  }
}
// #endregion table-verifier

export async function testingModule() {
  // #region override-verifier
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AccessTokenVerifier)
    .useValue(new TableVerifier())
    .compile();
  // #endregion override-verifier
  return moduleRef;
}

// #region remote-module
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get()
  @UseGuards(BearerGuard)
  @Scopes('files:read')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return this.files.of(auth.userId);
  }
}

@Module({
  imports: [
    OAuthResourceModule.forRoot({
      issuer: 'https://shift.example',
      resource: 'https://files.shift.example/',
      introspection: {
        clientId: process.env.FILES_INTROSPECTION_CLIENT_ID!,
        clientSecret: process.env.FILES_INTROSPECTION_CLIENT_SECRET!,
      },
      scopes: ['files:read', 'files:write'],
      resourceName: 'SHIFT Files',
    }),
  ],
  controllers: [FilesController],
  providers: [FilesService],
})
export class FilesAppModule {}
// #endregion remote-module
