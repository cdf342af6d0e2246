// Internals of the library that tests inspect but a host never touches. They come from the same
// build that `nest-oauth2-provider` resolves to, so a class used as a DI token (TokenCache) or in
// `instanceof` is the very one the module registered.
import { createRequire } from 'node:module';

const fromBuild = createRequire(require.resolve('nest-oauth2-provider'));

export const { hashSecret } = fromBuild('./core/protocol/credentials') as typeof import('../../libs/oauth2/src/core/protocol/credentials');
export const { TokenCache } = fromBuild('./core/token-cache') as typeof import('../../libs/oauth2/src/core/token-cache');
export const { resolveOAuthOptions } = fromBuild('./oauth-options') as typeof import('../../libs/oauth2/src/oauth-options');
export const { RESOLVED_OAUTH_OPTIONS, OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE } = fromBuild(
  './oauth.constants',
) as typeof import('../../libs/oauth2/src/oauth.constants');
export const { OAUTH_PURGE_BATCH_SIZE } = fromBuild('./oauth-purge.service') as typeof import('../../libs/oauth2/src/oauth-purge.service');
export const { OAUTH_MODULE_OPTIONS } = fromBuild(
  './oauth.module-definition',
) as typeof import('../../libs/oauth2/src/oauth.module-definition');
export type { ResolvedOAuthOptions } from '../../libs/oauth2/src/oauth-options';
export const { openPrivateKey } = fromBuild(
  './core/keys/key-encryption',
) as typeof import('../../libs/oauth2/src/core/keys/key-encryption');
