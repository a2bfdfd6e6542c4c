/** The browser suite: the built service (npm run build) driven through the portal by Debian's Chromium. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 240000,
  maxWorkers: 1,
};
