/** DI token of the validated, frozen options (`ResolvedOAuthOptions`). @publicApi */
export const RESOLVED_OAUTH_OPTIONS = 'OAUTH:RESOLVED_OPTIONS';
/** DI token of the extras given to `forRoot`/`forRootAsync` (prefix, storage, …). */
export const OAUTH_MODULE_EXTRAS = 'OAUTH:MODULE_EXTRAS';
/** Metadata key of `@Scopes()`. */
export const OAUTH_SCOPES_METADATA = 'oauth:scopes';
/** Metadata key of `@SkipBearer()` (and its deprecated alias `@Public()`). */
export const OAUTH_SKIP_BEARER_METADATA = 'oauth:public';
/** DI token of the `@nestjs/throttler` storage that keeps rate-limit counters (see the `rateLimitStorage` extra). @publicApi */
export const OAUTH_RATE_LIMIT_STORAGE = 'OAUTH:RATE_LIMIT_STORAGE';
/** Metadata key of `@Resource()`. */
export const OAUTH_RESOURCE_METADATA = 'oauth:resource';
/**
 * DI token of the file a generated key-encryption key is kept in when `jwt.keyEncryptionKey` is not
 * set outside production (the TypeORM storage puts it beside an SQLite file); undefined = per process.
 */
export const OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE = 'OAUTH:DEFAULT_KEY_ENCRYPTION_KEY_FILE';
