// ESLint flat config. The core and the store contracts must stay framework-free (STYLE §3.3).
import tseslint from 'typescript-eslint';

const frameworkFree = {
  paths: ['express', 'fastify', 'typeorm'],
  patterns: [{ group: ['@nestjs/*', 'typeorm/*'], message: 'core/ and the store contracts are framework-free: no Nest, TypeORM or Express here.' }],
};

const coreOwnsSettings = {
  group: ['**/oauth-options', '**/oauth-options.*', '**/oauth-module-options*'],
  message: 'core/ owns its settings: import ServerSettings from core/server-settings, not the module options.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'data/**', 'bench/.tmp/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['libs/oauth2/src/core/**/*.ts', 'libs/oauth2/src/stores/*.ts', 'libs/oauth2/src/stores/memory/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', frameworkFree] },
  },
  {
    // The core reads its own `ServerSettings`; the module's option schema (and class-validator) stays
    // outside. The spec helper may resolve real options to test the core against the module's defaults.
    files: ['libs/oauth2/src/core/**/*.ts'],
    ignores: ['libs/oauth2/src/core/**/*.spec-helper.ts'],
    rules: { 'no-restricted-imports': ['error', { ...frameworkFree, patterns: [...frameworkFree.patterns, coreOwnsSettings] }] },
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', 'libs/oauth2/src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
);
