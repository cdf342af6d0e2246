import type { Provider } from '@nestjs/common';
import { Clock } from './core/clock';
import { ClientRegistry } from './core/client-registry';
import { RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
import type { ResolvedOAuthOptions } from './oauth-options';
import { ClientStore } from './stores/client.store';

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
];
