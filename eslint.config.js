import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.tmp/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // The functional core: no clock, no I/O, no randomness inside the domain.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.spec.ts', 'src/domain/**/handlers/**', 'src/domain/**/*-handler.ts', 'src/domain/demo/**', 'src/domain/process-managers/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'pg', '../../store/engines/*'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time arrives in the command.' },
        { object: 'Math', property: 'random', message: 'Randomness arrives in the command.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time arrives in the command.' }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
