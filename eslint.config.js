import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'public/', 'test/bench/results/', '.vite/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Time comes from the processor clock (src/lib/clock.ts).' }],
    },
  },
  {
    // The kernel is pure: time and I/O arrive through the processor and adapters.
    files: ['src/engine/**/*.ts', 'src/indicators/**/*.ts', 'src/strategy/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'fetch', 'setTimeout', 'setInterval', 'document', 'window', 'localStorage', 'indexedDB'],
    },
  },
  {
    files: ['src/lib/clock.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
