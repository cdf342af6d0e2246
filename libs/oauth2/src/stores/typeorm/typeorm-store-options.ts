// Kept apart from the stores so the module's option types can name it without loading TypeORM's types.

/**
 * Settings of the built-in TypeORM stores, the module's `typeorm` option.
 * @publicApi
 */
export interface TypeOrmStoreOptions {
  /**
   * false: run the hot-path statements (bearer and client lookups, token inserts) through TypeORM's
   * repositories instead of the stores' hand-written SQL, e.g. if a TypeORM upgrade breaks the latter.
   * Default true.
   */
  hotPathSql?: boolean;
}

/** Injection token of the `TypeOrmStoreOptions` the module hands its TypeORM stores. */
export const TYPEORM_STORE_OPTIONS = Symbol('OAUTH_TYPEORM_STORE_OPTIONS');
