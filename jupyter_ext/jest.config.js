/** Unit tests run in node with ts-jest; JupyterLab's ES-module packages are mocked per test. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testRegex: '/src/__tests__/.*\\.spec\\.tsx?$',
  // jsdom lacks canvas, matchMedia and ResizeObserver, which uPlot needs (component tests)
  setupFiles: ['<rootDir>/src/__tests__/setupDom.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { jsx: 'react', esModuleInterop: true, types: ['jest', 'node'] } }]
  }
};
