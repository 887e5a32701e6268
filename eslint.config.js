import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The engine is a pure model of a cluster: no UI libraries, no browser, no wall clock, no
// unseeded randomness, no timers (time and randomness are injected).
const engineRestrictions = {
  files: ['src/engine/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'The engine has no UI.' },
          { group: ['zustand', 'zustand/*'], message: 'The engine does not know the store.' },
          { group: ['d3', 'd3-*'], message: 'The engine does not draw.' },
          {
            group: ['monaco-editor', 'monaco-editor/*', 'monaco-yaml'],
            message: 'The engine has no editor.',
          },
          {
            group: ['**/store/**', '**/ui/**', '**/kubectl/**'],
            message: 'engine ← store ← ui: never upwards.',
          },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'performance'].map((name) => ({
        name,
        message: 'The engine is headless.',
      })),
      ...['setTimeout', 'setInterval', 'setImmediate', 'requestAnimationFrame', 'queueMicrotask'].map(
        (name) => ({ name, message: 'The engine has a virtual clock; no timers.' }),
      ),
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Date', property: 'now', message: 'Use the injected virtual clock.' },
      { object: 'Math', property: 'random', message: 'Use the injected seeded random source.' },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "NewExpression[callee.name='Date']", message: 'Use the injected virtual clock.' },
    ],
    '@typescript-eslint/no-explicit-any': 'error',
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only' },
        { object: 'it', property: 'only' },
        { object: 'test', property: 'only' },
        { object: 'describe', property: 'skip' },
        { object: 'it', property: 'skip' },
        { object: 'test', property: 'skip' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  engineRestrictions,
);
