/**
 * npm run proxy -- [--port N] [--host H] [--config FILE] [--allow-origin URL[,URL…]]
 * Runs the broker proxy (src/proxy) on Node until SIGINT or SIGTERM. Keys come from the environment
 * (vault mode when PROXY_TOKEN is set); see docs/PROXY.md.
 */
import { readFileSync } from 'node:fs';
import { resolveConfig, type Env, type ResolvedConfig } from '../proxy/config.ts';
import { createProxy } from '../proxy/handler.ts';
import { listenNode, type NodeProxy } from '../proxy/node.ts';
import { parseArgs, UsageError } from './args.ts';

const USAGE = 'usage: npm run proxy -- [--port 8787] [--host 127.0.0.1] [--config proxy.json] [--allow-origin https://app.example[,…]]';

/** Reads the config file and flags into a checked config; errors name the file or flag, never a secret. */
export function proxyConfigFromArgs(argv: readonly string[], env: Env): { config: ResolvedConfig; port: number; host: string } {
  const a = parseArgs(argv, { port: 'number', host: 'string', config: 'string', 'allow-origin': 'string', help: 'boolean' });
  if (a.help) throw new UsageError(USAGE);
  let raw: Record<string, unknown> = {};
  if (a.config) {
    let text: string;
    try {
      text = readFileSync(a.config, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --config ${a.config}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`--config ${a.config} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (a['allow-origin']) {
    const extra = a['allow-origin'].split(',').map((s) => s.trim()).filter(Boolean);
    raw = { ...raw, allowOrigins: [...((raw.allowOrigins as string[] | undefined) ?? []), ...extra] };
  }
  const port = a.port ?? 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0..65535, got ${port}`);
  return { config: resolveConfig(raw, env), port, host: a.host ?? '127.0.0.1' };
}

export async function runProxy(argv: readonly string[], env: Env): Promise<NodeProxy> {
  const { config, port, host } = proxyConfigFromArgs(argv, env);
  const proxy = createProxy({ config });
  const server = await listenNode(proxy, { port, host });
  const mode = config.token === null ? 'relay mode (callers send their own keys)' : 'vault mode (PROXY_TOKEN required)';
  console.error(`proxy listening on ${server.url}, ${mode}; routes: ${[...config.routes.keys()].join(', ')}`);
  console.error(`allowed browser origins: ${config.allowOrigins.size ? [...config.allowOrigins].join(', ') : 'none (only clients without an Origin header)'}`);
  return server;
}

if (process.argv[1]?.endsWith('proxy.ts')) {
  runProxy(process.argv.slice(2), process.env).then(
    (server) => {
      const stop = (sig: string) => {
        console.error(`${sig}: stopping the proxy`);
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (e: unknown) => {
      console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : `proxy: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
