import { Logger, type Provider } from '@nestjs/common';
import { AccessTokenVerifier } from '../core/access-token-verifier';
import { Clock } from '../core/clock';
import { JwtAccessTokenVerifier } from '../core/jwt/jwt-access-token-verifier';
import { ProtectedResourceMetadata } from '../core/protected-resource-metadata';
import { AuthorizationServerDiscovery } from '../core/remote/authorization-server-discovery';
import type { FetchFunction } from '../core/remote/http-json';
import { IntrospectionCache } from '../core/remote/introspection-cache';
import { IntrospectionTokenVerifier } from '../core/remote/introspection-token-verifier';
import { RemoteJwks } from '../core/remote/remote-jwks';
import { ResourceServer } from '../core/resource-server';
import { TokenCache } from '../core/token-cache';
import { RESOLVED_OAUTH_RESOURCE_OPTIONS } from './oauth-resource.constants';
import type { ResolvedOAuthResourceOptions } from './oauth-resource-options';

/** DI token of the `fetch` the module calls the authorization server with (the global one). */
export const OAUTH_RESOURCE_FETCH = 'OAUTH:RESOURCE_FETCH';

const logger = new Logger('OAuthResource');

/** The core's plain classes for a remote resource server, built by factories as in `OAuthModule`. */
export const OAUTH_RESOURCE_PROVIDERS: Provider[] = [
  { provide: OAUTH_RESOURCE_FETCH, useValue: ((url, init) => fetch(url, init)) satisfies FetchFunction },
  {
    provide: AuthorizationServerDiscovery,
    useFactory: (options: ResolvedOAuthResourceOptions, fetcher: FetchFunction) =>
      new AuthorizationServerDiscovery({
        issuer: options.issuer,
        fetch: fetcher,
        timeoutMs: options.timeout * 1000,
        // Only what this configuration will ask for: a JWT-only server needs no introspection endpoint.
        requires: [
          ...(options.introspection ? (['introspection_endpoint'] as const) : []),
          ...(options.jwks && !options.jwks.uri && !options.introspection ? (['jwks_uri'] as const) : []),
        ],
      }),
    inject: [RESOLVED_OAUTH_RESOURCE_OPTIONS, OAUTH_RESOURCE_FETCH],
  },
  {
    provide: AccessTokenVerifier,
    useFactory: (options: ResolvedOAuthResourceOptions, discovery: AuthorizationServerDiscovery, clock: Clock, fetcher: FetchFunction) => {
      const timeoutMs = options.timeout * 1000;
      const introspection = options.introspection
        ? new IntrospectionTokenVerifier({
            resource: options.resource,
            clientId: options.introspection.clientId,
            clientSecret: options.introspection.clientSecret,
            discovery,
            cache: new IntrospectionCache(options.cache),
            clock,
            fetch: fetcher,
            timeoutMs,
            report: (message) => logger.error(message),
          })
        : undefined;
      const jwks = options.jwks;
      if (!jwks) return introspection!;
      const keys = new RemoteJwks({
        uri: jwks.uri ? async () => jwks.uri : () => discovery.jwksUri(),
        fetch: fetcher,
        timeoutMs,
        clock,
        algorithms: options.algorithms,
        settings: { cooldown: jwks.cooldown, maxAge: jwks.maxAge },
        report: (message) => logger.error(message),
      });
      return new JwtAccessTokenVerifier({
        issuer: options.issuer,
        resource: options.resource,
        keys,
        algorithms: options.algorithms,
        clock,
        clockTolerance: options.clockTolerance,
        cache: new TokenCache(options.cache),
        // Without introspection credentials, a token that is not a JWT is refused as unrecognized.
        opaque: introspection,
      });
    },
    inject: [RESOLVED_OAUTH_RESOURCE_OPTIONS, AuthorizationServerDiscovery, Clock, OAUTH_RESOURCE_FETCH],
  },
  {
    provide: ResourceServer,
    useFactory: (options: ResolvedOAuthResourceOptions, verifier: AccessTokenVerifier) =>
      new ResourceServer({
        settings: { realm: options.realm, allowQueryToken: options.allowQueryToken, resource: options.resource },
        verifier,
      }),
    inject: [RESOLVED_OAUTH_RESOURCE_OPTIONS, AccessTokenVerifier],
  },
  {
    provide: ProtectedResourceMetadata,
    useFactory: (options: ResolvedOAuthResourceOptions) =>
      new ProtectedResourceMetadata({
        requireHttps: false, // a public document; whoever serves the API decides about TLS
        realm: options.realm,
        resources: [
          {
            resource: options.resource,
            authorizationServers: [options.issuer],
            scopes: options.scopes,
            allowQueryToken: options.allowQueryToken,
            name: options.resourceName,
          },
        ],
      }),
    inject: [RESOLVED_OAUTH_RESOURCE_OPTIONS],
  },
];
