// nest-oauth2-provider/typeorm: the TypeORM storage. The only entry point that loads `typeorm` and
// `@nestjs/typeorm`; the module requires it lazily, only when `storage` is 'typeorm' (the default).
export { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from '../stores/typeorm/oauth-entities';
export { OAuthClientEntity } from '../stores/typeorm/oauth-client.entity';
export { OAuthAuthorizationCodeEntity } from '../stores/typeorm/oauth-authorization-code.entity';
export { OAuthTokenEntity } from '../stores/typeorm/oauth-token.entity';
export { OAuthConsentEntity } from '../stores/typeorm/oauth-consent.entity';
export { OAuthSigningKeyEntity } from '../stores/typeorm/oauth-signing-key.entity';
export { TypeOrmClientStore } from '../stores/typeorm/typeorm-client.store';
export { TypeOrmCodeStore } from '../stores/typeorm/typeorm-code.store';
export { TypeOrmTokenStore } from '../stores/typeorm/typeorm-token.store';
export { TypeOrmConsentStore } from '../stores/typeorm/typeorm-consent.store';
export { TypeOrmSigningKeyStore } from '../stores/typeorm/typeorm-signing-key.store';
export type { TypeOrmStoreOptions } from '../stores/typeorm/typeorm-store-options';
export { runMigrationsLocked } from '../stores/typeorm/migration-lock';
