/** The reliability suite (test/reliability): concurrency, crashes, fuzzing, secrets. Bounded in time; run in CI. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 180000,
};
