import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { isolationHeaders } from './vite.config.ts';

const chromium = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  server: { headers: isolationHeaders },
  test: {
    // CI reads the runner's own counts from this JSON report (.ci/run).
    reporters: process.env.VITEST_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.VITEST_JSON_REPORT }]]
      : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/{unit,property,golden}/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.{ts,tsx}'],
          // The scripted fake LLM providers, the Alpaca fake, and Tradier/TradeStation behind the proxy on 127.0.0.1 (test/browser/llm, test/browser/live).
          globalSetup: ['test/browser/llm/global-setup.ts', 'test/browser/live/alpaca-global-setup.ts', 'test/browser/live/brokers-global-setup.ts'],
          setupFiles: ['test/browser/no-act-warnings.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: chromium,
                args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          // Builds the app and serves it with vite preview for the duration of the run.
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
