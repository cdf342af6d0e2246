// ESLint flat config. The core and the store contracts must stay framework-free (STYLE §3.3).
import tseslint from 'typescript-eslint';

const frameworkFree = {
  paths: ['express', 'fastify', 'typeorm'],
  patterns: [{ group: ['@nestjs/*', 'typeorm/*'], message: 'core/ and the store contracts are framework-free: no Nest, TypeORM or Express here.' }],
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
  { files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', 'apps/sample/src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
);
