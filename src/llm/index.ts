export * from './types.ts';
export * from './errors.ts';
export * from './attempts.ts';
export * from './checks.ts';
export * from './explain.ts';
export * from './pipeline.ts';
export { createProvider } from './providers/index.ts';
