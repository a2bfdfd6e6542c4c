/** One jest run for every suite; suites that need PostgreSQL skip themselves without DATABASE_URL. */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/reliability/', '<rootDir>/test/browser/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/support/jest-global-setup.js',
  moduleNameMapper: {
    ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
    // See test/support/jest-global-setup.js.
    '^content-disposition$': '<rootDir>/node_modules/.cache/atlauja-jest/content-disposition.cjs',
  },
  collectCoverageFrom: ['libs/**/src/**/*.ts', 'apps/**/src/**/*.ts', '!**/*.spec.ts', '!**/index.ts'],
  testTimeout: 30000,
};
