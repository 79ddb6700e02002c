import js from '@eslint/js';
import { builtinModules } from 'node:module';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { layersRule } from './scripts/layers.js';

/** Packages that do I/O or belong to a process: never in deterministic or pure code. */
const ioPackages = [
  ...builtinModules.flatMap((name) => [name, `node:${name}`]),
  '@prisma/client',
  'nodemailer',
  'pg',
  'better-sqlite3',
  'fastify',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
];
const ioPatterns = [{ group: ['@prisma/*', '@temporalio/testing'], message: 'No I/O here.' }];
const noIoGlobals = ['error', 'process', 'setTimeout', 'setInterval', 'fetch'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'var/**',
      '.tools/**',
      'coverage/**',
      'bench/results/**',
      'prisma/generated/**',
      'console/dist/**',
      'console/src/server/openapi.gen.ts',
      'test/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
      // Route handlers and activities are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Resolves imports to folders: import-x's no-restricted-paths can't exempt `import type`, and specifier patterns can't see depth.
    plugins: { settle: { rules: { layers: layersRule } } },
    settings: { layersRoot: import.meta.dirname },
    rules: { 'settle/layers': 'error' },
  },
  {
    // Workflow code is replayed deterministically: no I/O, no config, no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioPackages, patterns: ioPatterns }],
      'no-restricted-globals': noIoGlobals,
    },
  },
  {
    // Domain rules are pure and email only renders: no I/O and no Temporal either.
    files: ['domain/**/*.ts', 'email/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioPackages,
          patterns: [
            ...ioPatterns,
            {
              group: ['@temporalio/*'],
              message: 'Temporal belongs to workflows/ and activities/.',
            },
          ],
        },
      ],
      'no-restricted-globals': noIoGlobals,
    },
  },
  {
    // The data layer knows the database, not Temporal, mail or HTTP (activities and api/ do).
    files: ['store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['nodemailer', 'fastify'],
          patterns: [{ group: ['@temporalio/*'], message: 'Temporal belongs to activities/.' }],
        },
      ],
    },
  },
  {
    // The console runs in the browser: React's rules of hooks (settle/layers keeps server code out).
    files: ['console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read untyped JSON responses; the assertions are the type check.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    // JavaScript cannot annotate types; scripts/layers.d.ts declares those of scripts/layers.js.
    files: ['**/*.js'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
);
