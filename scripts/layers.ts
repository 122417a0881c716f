/**
 * The layer table of DESIGN.md §2: which folders each layer may import from.
 * `typeOnly` layers may be imported only with `import type` (the UI sees engine types, never engine code).
 */
export interface LayerRule {
  may: readonly string[];
  typeOnly?: readonly string[];
}

export const LAYERS: Record<string, LayerRule> = {
  'src/lib': { may: [] },
  'src/schema': { may: ['src/lib'] },
  'src/indicators': { may: ['src/lib'] },
  'src/strategy': { may: ['src/schema', 'src/indicators', 'src/lib'] },
  'src/engine': { may: ['src/strategy', 'src/indicators', 'src/schema', 'src/lib'] },
  'src/data': { may: ['src/schema', 'src/lib'] },
  'src/optimize': { may: ['src/engine', 'src/strategy', 'src/schema', 'src/lib'] },
  'src/live': { may: ['src/engine', 'src/data', 'src/schema', 'src/lib'] },
  'src/llm': { may: ['src/schema', 'src/lib'] },
  'src/proxy': { may: ['src/schema', 'src/lib'] },
  'src/rpc': {
    may: ['src/lib'],
    typeOnly: ['src/schema', 'src/indicators', 'src/strategy', 'src/engine', 'src/data', 'src/optimize', 'src/live', 'src/llm'],
  },
  'src/ui': {
    may: ['src/rpc', 'src/schema', 'src/lib'],
    typeOnly: ['src/indicators', 'src/strategy', 'src/engine', 'src/data', 'src/optimize', 'src/live', 'src/llm'],
  },
  'src/cli': {
    may: ['src/lib', 'src/schema', 'src/indicators', 'src/strategy', 'src/engine', 'src/data', 'src/optimize',
      'src/live', 'src/llm', 'src/proxy', 'src/rpc'],
  },
  workers: {
    may: ['src/lib', 'src/schema', 'src/indicators', 'src/strategy', 'src/engine', 'src/data', 'src/optimize',
      'src/live', 'src/llm', 'src/rpc'],
  },
};

/** Third-party packages a layer may use; anything else in the pure layers is a mistake. */
export const PACKAGES: Record<string, readonly string[] | '*'> = {
  'src/lib': [],
  'src/schema': ['zod'],
  'src/indicators': [],
  'src/strategy': [],
  'src/engine': [],
  // The Node entry (src/proxy/node.ts) needs node:http and ws; the handler itself is Fetch API only.
  'src/proxy': ['zod', 'ws', 'node:http', 'node:net', 'node:stream'],
};
