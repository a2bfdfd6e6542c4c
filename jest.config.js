/** One jest run for every suite; suites that need PostgreSQL skip themselves without DATABASE_URL. */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/reliability/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // Node 20.19+ loads ES-module-only packages through require(); jest does not, so the one that
    // @fastify/static (Swagger's asset server) pulls in is transpiled to CommonJS here.
    '^.+/node_modules/(content-disposition)/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  collectCoverageFrom: ['libs/**/src/**/*.ts', 'apps/**/src/**/*.ts', '!**/*.spec.ts', '!**/index.ts'],
  testTimeout: 30000,
};
