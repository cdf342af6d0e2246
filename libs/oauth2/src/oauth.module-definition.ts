import {
  ConfigurableModuleBuilder,
  Controller,
  Logger,
  type DynamicModule,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, ModuleRef } from '@nestjs/core';
import { Clock, SystemClock } from './core/clock';
import { OAuthInteraction, type ConsentView, type ErrorView, type LoginHints, type OAuthUser } from './core/oauth-interaction';
import type { OAuthRequest } from './core/oauth-request';
import { BearerGuard } from './http/bearer.guard';
import { ClientAuthenticationRateLimit } from './http/client-authentication-rate-limit';
import { FixedWindowRateLimitStorage } from './http/fixed-window-rate-limit.storage';
import { OAuthEndpointExceptionFilter, OAuthExceptionFilter } from './http/oauth-exception.filter';
import { OAuthRateLimiter } from './http/oauth-rate-limiter';
import { PREFIXED_CONTROLLERS, ROOT_CONTROLLERS } from './http/oauth.controllers';
import { TokenRateLimitGuard } from './http/token-rate-limit.guard';
import type { OAuthModuleExtras, OAuthModuleOptions } from './oauth-module-options.interface';
import { OAUTH_DEFAULTS, resolveOAuthOptions, type ResolvedOAuthOptions } from './oauth-options';
import {
  OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE,
  OAUTH_MODULE_EXTRAS,
  OAUTH_RATE_LIMIT_STORAGE,
  RESOLVED_OAUTH_OPTIONS,
} from './oauth.constants';
import { OAuthKeyRotationService } from './oauth-key-rotation.service';
import { OAuthPurgeService } from './oauth-purge.service';
import { OAUTH_CORE_PROVIDERS } from './oauth.providers';
import { ClientStore } from './stores/client.store';
import { CodeStore } from './stores/code.store';
import { ConsentStore } from './stores/consent.store';
import { InMemoryClientStore } from './stores/memory/in-memory-client.store';
import { InMemoryCodeStore } from './stores/memory/in-memory-code.store';
import { InMemoryConsentStore } from './stores/memory/in-memory-consent.store';
import { InMemoryTokenStore } from './stores/memory/in-memory-token.store';
import { TokenStore } from './stores/token.store';
import { KeySigner } from './core/keys/key-signer';
import { ClaimsProvider } from './core/openid/claims-provider';
import type { OAuthClient } from './stores/models';
import { SigningKeyStore } from './stores/signing-key.store';
import { InMemorySigningKeyStore } from './stores/memory/in-memory-signing-key.store';
import { TYPEORM_STORE_OPTIONS } from './stores/typeorm/typeorm-store-options';
import type { DataSourceOptions } from 'typeorm';

/**
 * Every extra, declared with its default: the builder leaves these keys out of the options it
 * provides (OAUTH_MODULE_OPTIONS) and hands them to the transform below, the one place that decides
 * the module's wiring. An option that adds or removes routes is an extra: the controllers it decides
 * are mounted or not here, at `forRoot` time, rather than always mounted and answering 404.
 */
const EXTRAS: OAuthModuleExtras = {
  isGlobal: true,
  storage: 'typeorm',
  prefix: undefined,
  interaction: undefined,
  stores: undefined,
  typeorm: undefined,
  rateLimitStorage: undefined,
  keySigner: undefined,
  claims: undefined,
};

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: OAUTH_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OAuthModuleOptions>({ moduleName: 'OAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOAuthOptions')
  .setExtras<OAuthModuleExtras>(EXTRAS, (definition, extras) => withOAuthProviders(definition, extras))
  .build();

const STORE_TOKENS = [ClientStore, CodeStore, TokenStore, ConsentStore, SigningKeyStore] as const;
/** The slots whose overriding decides whether the TypeORM storage loads at all. */
const DATA_STORE_SLOTS = 4;

/** The module's providers, controllers and imports, as its extras decide them. */
function withOAuthProviders(definition: DynamicModule, extras: OAuthModuleExtras): DynamicModule {
  const storage = extras.storage ?? 'typeorm';
  const prefix = extras.prefix ?? OAUTH_DEFAULTS.prefix;
  const overridden = Object.entries(extras.stores ?? {}).filter(([, store]) => store !== undefined);
  // Only a data store slot left to the default TypeORM storage loads `typeorm` and `@nestjs/typeorm`;
  // a host that hands over a TypeORM store itself has loaded them already, and its store needs the
  // repositories. The signing-key slot alone never loads them: a host with its own four data stores
  // may have no DataSource at all, so its keys stay in memory unless it provides `stores.signingKeys`.
  const typeOrmDefault = storage === 'typeorm' && overridden.filter(([slot]) => slot !== 'signingKeys').length < DATA_STORE_SLOTS;
  const typeOrm = typeOrmDefault || typeOrmStorageLoaded() ? loadTypeOrmStorage() : undefined;
  const defaults =
    storage === 'typeorm' && typeOrm
      ? { ...typeOrm.stores, signingKeys: typeOrmDefault ? typeOrm.stores.signingKeys : InMemorySigningKeyStore }
      : IN_MEMORY_STORES;
  const chosen: Record<string, Type> = { ...defaults, ...Object.fromEntries(overridden) };
  const needsTypeOrm = typeOrm !== undefined && Object.values(chosen).some((store) => Object.values(typeOrm.stores).includes(store));
  const keysInTypeOrm = typeOrm !== undefined && chosen.signingKeys === typeOrm.stores.signingKeys;
  const storeProviders: Provider[] = [
    { provide: ClientStore, useClass: chosen.clients },
    { provide: CodeStore, useClass: chosen.codes },
    { provide: TokenStore, useClass: chosen.tokens },
    { provide: ConsentStore, useClass: chosen.consents },
    { provide: SigningKeyStore, useClass: chosen.signingKeys },
    ...(keysInTypeOrm && typeOrm ? [typeOrm.keyEncryptionKeyFile()] : []),
  ];
  const hostInteraction = extras.interaction;
  const interaction: Provider[] = hostInteraction
    ? [{ provide: OAuthInteraction, useFactory: (ref: ModuleRef) => new HostInteraction(ref, hostInteraction), inject: [ModuleRef] }]
    : [];
  const hostClaims = extras.claims;
  const claims: Provider[] = hostClaims
    ? [{ provide: ClaimsProvider, useFactory: (ref: ModuleRef) => new HostClaimsProvider(ref, hostClaims), inject: [ModuleRef] }]
    : [];
  const providers: Provider[] = [
    ...(definition.providers ?? []),
    { provide: OAUTH_MODULE_EXTRAS, useValue: { ...extras } },
    {
      provide: RESOLVED_OAUTH_OPTIONS,
      useFactory: (options: OAuthModuleOptions, moduleExtras: OAuthModuleExtras) => resolveOAuthOptions(options, moduleExtras),
      inject: [OAUTH_MODULE_OPTIONS, OAUTH_MODULE_EXTRAS],
    },
    { provide: Clock, useClass: SystemClock },
    ...storeProviders,
    { provide: TYPEORM_STORE_OPTIONS, useValue: { ...extras.typeorm } },
    ...interaction,
    ...claims,
    // A host's signer replaces the default one, which would otherwise ask for a key-encryption key.
    ...(extras.keySigner ? OAUTH_CORE_PROVIDERS.filter((p) => typeof p === 'function' || p.provide !== KeySigner) : OAUTH_CORE_PROVIDERS),
    ...(extras.keySigner ? [{ provide: KeySigner, useClass: extras.keySigner }] : []),
    // A Nest class, exported so `@UseGuards(BearerGuard)` and APP_GUARD resolve it in any host module.
    BearerGuard,
    OAuthPurgeService,
    OAuthKeyRotationService,
    ...(storage === 'memory' ? [MEMORY_STORAGE_WARNING] : []),
    ...(storage === 'typeorm' && !typeOrmDefault && chosen.signingKeys === InMemorySigningKeyStore ? [IN_MEMORY_KEYS_WARNING] : []),
    PER_PROCESS_SECRET_WARNING,
    OAuthEndpointExceptionFilter,
    { provide: OAUTH_RATE_LIMIT_STORAGE, useClass: extras.rateLimitStorage ?? FixedWindowRateLimitStorage },
    OAuthRateLimiter,
    TokenRateLimitGuard,
    ClientAuthenticationRateLimit,
    { provide: APP_FILTER, useClass: OAuthExceptionFilter },
  ];
  return {
    ...definition,
    global: extras.isGlobal,
    imports: [...(definition.imports ?? []), ...(needsTypeOrm && typeOrm ? [typeOrm.feature()] : [])],
    controllers: [...PREFIXED_CONTROLLERS.map((c) => mountedAt(c, prefix)), ...ROOT_CONTROLLERS],
    providers,
    exports: [
      ...(definition.exports ?? []),
      RESOLVED_OAUTH_OPTIONS,
      Clock,
      ...STORE_TOKENS,
      OAuthPurgeService,
      OAuthRateLimiter,
      BearerGuard,
      ...OAUTH_CORE_PROVIDERS.map((p) => (typeof p === 'function' ? p : p.provide)),
    ],
  };
}

/**
 * A host class named in the extras (`interaction`, `claims`), resolved where the host provides it:
 * when one of the host's modules lists the class in its `providers`, that instance is used, with
 * whatever that module injects (its users service, say), so plain `forRoot` is enough. When no module
 * provides it, the module creates it in its own context, and then its dependencies must be global.
 * Resolved once, after every module is instantiated and before the app serves a request.
 */
class HostClass<T> {
  private target?: T;

  constructor(
    private readonly ref: ModuleRef,
    private readonly type: Type<T>,
  ) {}

  async resolve(): Promise<void> {
    let provided: T | undefined;
    try {
      provided = this.ref.get(this.type, { strict: false });
    } catch {
      provided = undefined; // no module provides it
    }
    this.target = provided ?? (await this.ref.create(this.type));
  }

  get instance(): T {
    if (!this.target) throw new Error(`${this.type.name} is used before the application has initialised`);
    return this.target;
  }
}

/** The `interaction` extra: each method forwards to the host's instance. */
class HostInteraction extends OAuthInteraction implements OnModuleInit {
  private readonly host: HostClass<OAuthInteraction>;

  constructor(ref: ModuleRef, type: Type<OAuthInteraction>) {
    super();
    this.host = new HostClass(ref, type);
  }

  onModuleInit(): Promise<void> {
    return this.host.resolve();
  }

  currentUser(req: OAuthRequest): Promise<OAuthUser | undefined> | OAuthUser | undefined {
    return this.host.instance.currentUser(req);
  }

  loginUrl(returnTo: string, req: OAuthRequest, forceLogin: boolean, hints?: LoginHints): string {
    return this.host.instance.loginUrl(returnTo, req, forceLogin, hints);
  }

  override endSession(req: OAuthRequest): Promise<void> | void {
    return this.host.instance.endSession(req);
  }

  override renderConsent(view: ConsentView, req: OAuthRequest): Promise<string | undefined> | string | undefined {
    return this.host.instance.renderConsent(view, req);
  }

  override renderError(view: ErrorView, req: OAuthRequest): Promise<string | undefined> | string | undefined {
    return this.host.instance.renderError(view, req);
  }

  override switchAccountUrl(returnTo: string, req: OAuthRequest): string | undefined {
    return this.host.instance.switchAccountUrl(returnTo, req);
  }
}

/** The `claims` extra: forwards to the host's instance. */
class HostClaimsProvider extends ClaimsProvider implements OnModuleInit {
  private readonly host: HostClass<ClaimsProvider>;

  constructor(ref: ModuleRef, type: Type<ClaimsProvider>) {
    super();
    this.host = new HostClass(ref, type);
  }

  onModuleInit(): Promise<void> {
    return this.host.resolve();
  }

  claims(
    userId: string,
    scopes: readonly string[],
    client: Pick<OAuthClient, 'id' | 'name'>,
  ): Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined {
    return this.host.instance.claims(userId, scopes, client);
  }
}

const IN_MEMORY_STORES: Record<string, Type> = {
  clients: InMemoryClientStore,
  codes: InMemoryCodeStore,
  tokens: InMemoryTokenStore,
  consents: InMemoryConsentStore,
  signingKeys: InMemorySigningKeyStore,
};

/**
 * The TypeORM stores and their repositories, required from the `nest-oauth2-provider/typeorm` entry
 * point only here, when some store is left to the default storage: `typeorm` and `@nestjs/typeorm` are
 * optional peers, so an app on `storage: 'memory'` or on its own stores runs without them installed.
 */
function loadTypeOrmStorage(): { stores: Record<string, Type>; feature: () => DynamicModule; keyEncryptionKeyFile: () => Provider } {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberately lazy, see above */
  const entities = require('./typeorm') as typeof import('./typeorm');
  const { TypeOrmModule, getDataSourceToken } = require('@nestjs/typeorm') as typeof import('@nestjs/typeorm');
  const { defaultKeyEncryptionKeyFile } =
    require('./stores/typeorm/default-key-encryption-key-file') as typeof import('./stores/typeorm/default-key-encryption-key-file');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    stores: {
      clients: entities.TypeOrmClientStore,
      codes: entities.TypeOrmCodeStore,
      tokens: entities.TypeOrmTokenStore,
      consents: entities.TypeOrmConsentStore,
      signingKeys: entities.TypeOrmSigningKeyStore,
    },
    feature: () => TypeOrmModule.forFeature([...entities.OAUTH_ENTITIES]),
    // The DataSource is built asynchronously by the host's TypeOrmModule, so the file is derived in a factory.
    keyEncryptionKeyFile: () => ({
      provide: OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE,
      useFactory: (dataSource?: { options: DataSourceOptions }) => dataSource && defaultKeyEncryptionKeyFile(dataSource.options),
      inject: [{ token: getDataSourceToken(), optional: true }],
    }),
  };
}

function typeOrmStorageLoaded(): boolean {
  return require.cache[require.resolve('./typeorm')] !== undefined;
}

/** Announces in-memory storage outside tests, as its state is per process and lost on restart. */
const MEMORY_STORAGE_WARNING: Provider = {
  provide: 'OAUTH:MEMORY_STORAGE_WARNING',
  useFactory: () => {
    if (process.env.NODE_ENV !== 'test') {
      new Logger('OAuthModule').warn(
        "storage: 'memory' keeps clients, codes and tokens in this process only: use it for tests and demos, not production",
      );
    }
    return true;
  },
};

/**
 * Announces signing keys kept in memory next to a host's own data stores: each instance then signs
 * with keys of its own and every restart orphans the tokens signed before it.
 */
const IN_MEMORY_KEYS_WARNING: Provider = {
  provide: 'OAUTH:IN_MEMORY_KEYS_WARNING',
  useFactory: (options: ResolvedOAuthOptions) => {
    if (options.jwt !== undefined) {
      new Logger('OAuthModule').warn(
        'The JWT signing keys live only in this process (all four data stores are your own and none is given for them): ' +
          'provide `stores.signingKeys` so every instance signs with the same keys and tokens survive a restart',
      );
    }
    return true;
  },
  inject: [RESOLVED_OAUTH_OPTIONS],
};

/**
 * Announces a per-process server key outside tests: one instance works, but several instances need one
 * shared `secret` for consent forms and refresh retries to work across them.
 */
const PER_PROCESS_SECRET_WARNING: Provider = {
  provide: 'OAUTH:PER_PROCESS_SECRET_WARNING',
  useFactory: (options: ResolvedOAuthOptions) => {
    if (options.secret === undefined && process.env.NODE_ENV !== 'test') {
      new Logger('OAuthModule').warn(
        'No secret is configured, so a random key is used for this process only: when several instances serve this issuer, ' +
          'give them all the same `secret`, or a consent page shown by one is refused by another and a refresh retry on another instance fails',
      );
    }
    return true;
  },
  inject: [RESOLVED_OAUTH_OPTIONS],
};

/**
 * A subclass of `controller` mounted at `path`, so each module instance can choose its prefix.
 *
 * Design note: this reaches past Nest's documented API. A controller's path is static metadata and
 * each module instance chooses its own prefix, so the subclass is decorated with `@Controller(path)`
 * at run time. It relies on Nest reading the path from the subclass's own metadata and the route
 * handlers from the parent's prototype, and on the subclass keeping the parent's name. A Nest
 * release that reads route metadata only from the class that declared it breaks it;
 * `http/nest-internals.spec.ts` checks it on Express and Fastify and fails by name.
 */
export function mountedAt(controller: Type, path: string): Type {
  const mounted = class extends controller {};
  Object.defineProperty(mounted, 'name', { value: controller.name });
  Controller(path)(mounted);
  return mounted;
}
