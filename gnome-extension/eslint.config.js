// eslint for GJS code as gnome-shell and well-kept extensions lint it: ESM, the recommended rules, GJS's globals.
import js from '@eslint/js';

export default [
    {ignores: ['node_modules/', 'target/']},
    js.configs.recommended,
    {
        files: ['**/*.js'],
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: 'module',
            globals: {
                ARGV: 'readonly',
                console: 'readonly',
                global: 'readonly',
                log: 'readonly',
                logError: 'readonly',
                print: 'readonly',
                printerr: 'readonly',
                TextDecoder: 'readonly',
                TextEncoder: 'readonly',
            },
        },
        rules: {
            'eqeqeq': 'error',
            'no-var': 'error',
            'prefer-const': 'error',
            'prefer-arrow-callback': 'error',
            'no-unused-vars': ['error', {args: 'none'}],
        },
    },
];
