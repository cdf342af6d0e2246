import { Logger, type Provider } from '@nestjs/common';
import { AuthorizationServer } from './core/authorization-server';
import { Clock } from './core/clock';
import { ClientRegistry } from './core/client-registry';
import { AuthorizationServerMetadata, type MetadataExtension } from './core/metadata';
import { OAuthInteraction } from './core/oauth-interaction';
import { RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
import type { ResolvedOAuthOptions } from './oauth-options';
import { ClientStore } from './stores/client.store';
import { CodeStore } from './stores/code.store';
import { ConsentStore } from './stores/consent.store';
import { TokenStore } from './stores/token.store';

/** Extra metadata fields (RFC 8414) contributed by other endpoints, e.g. revocation and introspection. */
const METADATA_EXTENSIONS: MetadataExtension[] = [];

const logger = new Logger('OAuth');
/** Unexpected errors: name and message only (a stack may quote request data). */
function reportError(error: unknown): void {
  logger.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/**
 * The core's plain classes, built by factories so the core stays free of Nest decorators. Every
 * token listed here is exported by the module.
 */
export const OAUTH_CORE_PROVIDERS: Provider[] = [
  {
    provide: ClientRegistry,
    useFactory: (options: ResolvedOAuthOptions, clients: ClientStore, clock: Clock) =>
      new ClientRegistry(clients, clock, Object.keys(options.scopes)),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientStore, Clock],
  },
  {
    provide: AuthorizationServer,
    useFactory: (
      options: ResolvedOAuthOptions,
      clients: ClientStore,
      codes: CodeStore,
      tokens: TokenStore,
      consents: ConsentStore,
      clock: Clock,
      interaction?: OAuthInteraction,
    ) => new AuthorizationServer({ options, clients, codes, tokens, consents, clock, interaction, reportError }),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientStore, CodeStore, TokenStore, ConsentStore, Clock, { token: OAuthInteraction, optional: true }],
  },
  {
    provide: AuthorizationServerMetadata,
    useFactory: (options: ResolvedOAuthOptions) => new AuthorizationServerMetadata(options, METADATA_EXTENSIONS),
    inject: [RESOLVED_OAUTH_OPTIONS],
  },
];
