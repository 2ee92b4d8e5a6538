/**
 * Playwright configuration for the workbench's browser tests.
 *
 * Starts from Galata's defaults and adapts them to machines without Playwright's browser
 * downloads: Debian's Chromium, no video or trace (both need Playwright's own ffmpeg), one
 * worker for small CI machines.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const port = process.env.DBT_WORKBENCH_UI_PORT || '8899';

module.exports = {
  ...baseConfig,
  testDir: './tests',
  // The list reporter prints the "N passed" summary the CI log is read for.
  reporter: [['list'], ['html', { open: 'never' }]],
  timeout: 60000,
  expect: { timeout: 15000 },
  retries: 0,
  workers: 1,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    trace: 'off',
    video: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  webServer: {
    command: 'jlpm start',
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
