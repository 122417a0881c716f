/**
 * Builds the app into a temporary directory, serves it with `vite preview` on a free 127.0.0.1 port (with the
 * cross-origin isolation headers of vite.config.ts), hands the URL to the tests, and tears both down after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { freePort } from '../helpers/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The production build the preview server serves (tests that stage their own deploys copy it). */
    distDir: string;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const configFile = join(root, 'vite.config.ts');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(join(tmpdir(), 'backtester-e2e-'));
  // Vitest sets NODE_ENV=test, which would make this a development build (React dev runtime, no service
  // worker); the e2e tests exercise what a host serves, so build for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, configFile, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const port = await freePort();
  const server = await preview({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
  project.provide('distDir', outDir);
  return async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
}
