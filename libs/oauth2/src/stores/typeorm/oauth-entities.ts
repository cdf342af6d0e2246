import type { MigrationInterface, ObjectLiteral } from 'typeorm';
import type { Type } from '@nestjs/common';
import type { ClientStore } from '../client.store';
import type { CodeStore } from '../code.store';
import type { ConsentStore } from '../consent.store';
import type { SigningKeyStore } from '../signing-key.store';
import type { TokenStore } from '../token.store';
import { CreateOAuthSchema1767225600000 } from './migrations/1767225600000-create-oauth-schema';
import { StoreRedirectUrisAsJson1780000100000 } from './migrations/1780000100000-store-redirect-uris-as-json';
import { AddClientApplicationType1780000200000 } from './migrations/1780000200000-add-client-application-type';
import { BinaryIdentifiersOnMySql1780000300000 } from './migrations/1780000300000-binary-identifiers-on-mysql';
import { AddTokenGrantCreatedAt1780000400000 } from './migrations/1780000400000-add-token-grant-created-at';
import { AddResourceIndicators1780000500000 } from './migrations/1780000500000-add-resource-indicators';
import { AddClientLogoAndHomePage1780000600000 } from './migrations/1780000600000-add-client-logo-and-home-page';
import { AddSigningKeys1780000700000 } from './migrations/1780000700000-add-signing-keys';
import { AddClientOwnerAndSecretOverlap1780000800000 } from './migrations/1780000800000-add-client-owner-and-secret-overlap';
import { AddClientRegistrationKinds1780000900000 } from './migrations/1780000900000-add-client-registration-kinds';
import { IndexClientsByRegistration1780001000000 } from './migrations/1780001000000-index-clients-by-registration';
import { AddOpenIdConnectFields1780001100000 } from './migrations/1780001100000-add-openid-connect-fields';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity';
import { OAuthClientEntity } from './oauth-client.entity';
import { OAuthConsentEntity } from './oauth-consent.entity';
import { OAuthSigningKeyEntity } from './oauth-signing-key.entity';
import { OAuthTokenEntity } from './oauth-token.entity';
import { TypeOrmClientStore } from './typeorm-client.store';
import { TypeOrmCodeStore } from './typeorm-code.store';
import { TypeOrmConsentStore } from './typeorm-consent.store';
import { TypeOrmSigningKeyStore } from './typeorm-signing-key.store';
import { TypeOrmTokenStore } from './typeorm-token.store';

/**
 * The module's TypeORM entities: add them to the host's `TypeOrmModule.forRoot({ entities })`.
 * @publicApi
 */
export const OAUTH_ENTITIES: readonly Type<ObjectLiteral>[] = Object.freeze([
  OAuthClientEntity,
  OAuthAuthorizationCodeEntity,
  OAuthTokenEntity,
  OAuthConsentEntity,
  OAuthSigningKeyEntity,
]);

/**
 * The migrations that create and evolve the `oauth_` tables, oldest first: add them to the host's
 * `migrations` and run them (`migrationsRun: true` or the TypeORM CLI).
 * @publicApi
 */
export const OAUTH_MIGRATIONS: readonly Type<MigrationInterface>[] = Object.freeze([
  CreateOAuthSchema1767225600000,
  StoreRedirectUrisAsJson1780000100000,
  AddClientApplicationType1780000200000,
  BinaryIdentifiersOnMySql1780000300000,
  AddTokenGrantCreatedAt1780000400000,
  AddResourceIndicators1780000500000,
  AddClientLogoAndHomePage1780000600000,
  AddSigningKeys1780000700000,
  AddClientOwnerAndSecretOverlap1780000800000,
  AddClientRegistrationKinds1780000900000,
  IndexClientsByRegistration1780001000000,
  AddOpenIdConnectFields1780001100000,
]);

/** The TypeORM implementation of each store, by `OAuthStoreClasses` key. */
export const TYPEORM_STORES: Readonly<{
  clients: Type<ClientStore>;
  codes: Type<CodeStore>;
  tokens: Type<TokenStore>;
  consents: Type<ConsentStore>;
  signingKeys: Type<SigningKeyStore>;
}> = Object.freeze({
  clients: TypeOrmClientStore,
  codes: TypeOrmCodeStore,
  tokens: TypeOrmTokenStore,
  consents: TypeOrmConsentStore,
  signingKeys: TypeOrmSigningKeyStore,
});
