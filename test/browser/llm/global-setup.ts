/**
 * Starts the scripted fake LLM providers (test/unit/llm/fake/server.ts) on 127.0.0.1 for the browser
 * project; tests read its address with inject('llmFakeUrl') and post their script to it. It stops when the
 * run ends (and by itself after 10 minutes).
 */
import type { TestProject } from 'vitest/node';
import { startFakeProviders } from '../../unit/llm/fake/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    llmFakeUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await startFakeProviders(600_000);
  project.provide('llmFakeUrl', fake.url);
  return () => fake.close();
}
