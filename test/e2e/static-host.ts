/**
 * A static host for e2e tests that need their own headers or a staged deploy: serves a build directory on
 * 127.0.0.1 (port 0) with the cross-origin isolation headers plus `headers`. `dir()` is read per request (a
 * test may switch builds); `gone(path)` true answers 404. The test closes it in afterAll.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticHost {
  url: string;
  close(): Promise<void>;
}

export async function staticHost(dir: () => string, headers: Record<string, string> = {}, gone: (path: string) => boolean = () => false): Promise<StaticHost> {
  const server: Server = createServer((req, res) => {
    const root = dir();
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const h = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-cache', ...headers };
    if (!file.startsWith(root) || gone(path)) return void res.writeHead(404, h).end();
    readFile(file).then(
      (body) => res.writeHead(200, { ...h, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404, h).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
