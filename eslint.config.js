// @ts-check
/**
 * ESLint for the whole tree: typescript-eslint's type-aware recommended rules (types from the
 * tsconfig.json each file belongs to, through the TypeScript project service), with Prettier
 * owning the layout. `npm run lint` runs it with --max-warnings 0, inside `npm test`.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(
    [
      'src/generated/',
      'sdk/src/generated/',
      'sdk/dist/',
      'cdk.out/',
      'coverage/',
      '.local-data/',
      'test-output/',
      'scratch/',
    ],
    'generated and build output',
  ),
  // TEMPORARY: rewritten on issue-15 (the generic runner and the one composition root); removed when it lands.
  // These files still break rules below; they are not edited here so the rewrite has them to itself.
  globalIgnores(
    [
      'local/stack.ts',
      'src/handlers/decide.ts',
      'src/shell/functions/decide-failures.ts',
      'src/shell/functions/graphql-auth.ts',
      'src/shell/functions/graphql.ts',
    ],
    'temporary: rewritten on issue-15; removed when it lands',
  ),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    name: 'visitplannr/typed',
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Files outside every tsconfig (this one, the codegen plugin) get TypeScript's defaults.
        projectService: { allowDefaultProject: ['eslint.config.js', 'codegen/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `const { secret: _omitted, ...rest } = value` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    name: 'visitplannr/tests',
    files: ['test/**'],
    rules: {
      // Vitest types its asymmetric matchers (expect.any, expect.stringContaining, …) as `any`, so every
      // one inside an expected object is an "unsafe assignment". Reading, calling, passing and returning
      // `any` stay errors in tests.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  prettier,
);
