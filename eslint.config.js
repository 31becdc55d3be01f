// Lint: type-aware rules stay off (tsc --noEmit runs first in `npm run lint`); these catch the rest.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'kiosk-ui/dist/', 'test/.generated/', 'test/artifacts/', 'firmware-bridge/firmware/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
);
