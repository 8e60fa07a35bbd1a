import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'web/dist/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Money is integer cents everywhere in the product; tests and benchmarks may format timings.
    files: ['src/**/*.ts', 'web/src/**/*.tsx', 'web/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Identifier[name='parseFloat']",
          message: 'Argent : entiers en centimes uniquement.',
        },
        {
          selector: "CallExpression[callee.property.name='toFixed']",
          message:
            'Argent : pas de virgule flottante, formater avec Intl.NumberFormat sur des centimes entiers.',
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
