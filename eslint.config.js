// Lint: the rooms of the design kept apart by rule, not by hope.
//   src-shared:   no Node, no Electron, no React, nothing from src-main or src-renderer
//   src-main:     no Electron outside src-main/electron, nothing from src-renderer
//   src-renderer: no Node, no Electron, nothing from src-main (it talks to the API only)
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const node = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto'], message: 'Node APIs belong to src-main.' };
const electron = { group: ['electron'], message: 'Only src-main/electron may import Electron.' };

export default tseslint.config(
  // test/fixtures/lint holds code written to break the rules (the lint test lints it on purpose).
  { ignores: ['dist/**', 'build/**', 'release/**', 'test-results/**', 'node_modules/**', 'scripts/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Rules that need the types: a promise nobody awaits, handles or voids on purpose is a failure
    // nobody sees (an unhandled rejection, a write that ends after the process).
    files: ['src-shared/**/*.ts', 'src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}', 'test/**/*.ts'],
    ignores: ['src-renderer/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Async event handlers in JSX are checked by no-floating-promises inside them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [node, electron, { group: ['react', 'react-dom', '**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports neither the engine nor the UI.' }] }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electron, { group: ['**/src-renderer/**', 'react'], message: 'The engine knows nothing of the UI.' }] }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [node, electron, { group: ['**/src-main/**'], message: 'The renderer reaches the engine through the API only.' }] }],
    },
  },
  {
    // Config files of tools want default exports.
    files: ['*.config.ts', 'test/**/global-*.ts', 'src-renderer/vite.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['src-renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
