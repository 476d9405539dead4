// ESLint flat config: typescript-eslint's recommended rules plus the size limits of STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.loom/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/config/load-config.ts and composition roots read process.env.',
        },
      ],
    },
  },
  {
    // Code every proxied call runs: in Node 20's V8 a spread copy that is then given a property of its
    // own (`{ ...a, b }`) outlives the young generation, and it made the proxy's scavenges copy six
    // times what they had to (specs/proxy.md, "Spread copies"). Spread last, or Object.assign.
    files: ['src/proxy/**/*.ts', 'src/llm/cache-counts.ts', 'src/llm/model-prices.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message:
            'A spread copy given more properties outlives V8\'s young generation on this path: put the spread last, or use Object.assign (specs/proxy.md, "Spread copies").',
        },
      ],
    },
  },
  {
    files: ['src/config/load-config.ts', 'src/cli/**', 'bench/**', '**/*.test.ts', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
