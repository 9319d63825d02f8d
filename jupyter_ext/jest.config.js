/** Unit tests run in node with ts-jest; JupyterLab's ES-module packages are mocked per test. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testRegex: '/src/__tests__/.*\\.spec\\.tsx?$',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { jsx: 'react', esModuleInterop: true, types: ['jest', 'node'] } }]
  }
};
