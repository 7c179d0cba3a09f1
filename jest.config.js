/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/packages'],
  testMatch: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  // Tests import packages from their sources so a change is tested without a build; apps that
  // tests start as child processes run from dist, which `npm test` builds first.
  moduleNameMapper: {
    '^@repo/([a-z-]+)$': '<rootDir>/packages/$1/src',
  },
  globalSetup: '<rootDir>/packages/testing/src/global-setup.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
