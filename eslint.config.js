// ESLint (flat config): typescript-eslint's recommended rules plus the project's conventions.
// Formatting is Prettier's job (`pnpm format`); this checks what a formatter cannot.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'out/**',
      'coverage/**',
      'test-artifacts/**',
      'examples/playground/dist/**',
      '**/generated/**',
      'packages/core/wasm/**', // AssemblyScript (decorators, v128): built by asc, not TypeScript
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      // Line width: 120, as Prettier's printWidth; long string and template literals (messages, SVG) stay whole.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-duplicate-imports': 'error',
      // Consistent imports: the names inside one import in one order (the declarations' order is free).
      'sort-imports': ['error', { ignoreDeclarationSort: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // A package reaches another package through its entries (`@xent/core`, `@xent/core/extend`), never its files.
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*/src/*', '**/packages/*/src/*'], message: 'import a package by its name' }] },
      ],
    },
  },
);
