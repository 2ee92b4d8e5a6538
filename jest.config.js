/**
 * Jest runs the TypeScript specs with ts-jest in jsdom. JupyterLab and
 * Lumino ship ES modules, so those node_modules are transpiled too
 * (transpile-only: they are already type-checked by their authors).
 */
const esModules = [
  '@codemirror',
  '@jupyter',
  '@jupyterlab',
  '@lezer',
  '@lumino',
  '@microsoft',
  'exenv-es6',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'yjs'
].join('|');

const compilerOptions = {
  allowJs: true,
  esModuleInterop: true,
  jsx: 'react',
  module: 'commonjs',
  moduleResolution: 'node',
  resolveJsonModule: true,
  skipLibCheck: true,
  strict: true,
  target: 'ES2018',
  lib: ['DOM', 'DOM.Iterable', 'ES2020'],
  types: ['jest']
};

module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.spec.ts?(x)'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: compilerOptions }],
    '^.+\\.jsx?$': [
      'ts-jest',
      { tsconfig: compilerOptions, isolatedModules: true }
    ]
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules})/)`]
};
