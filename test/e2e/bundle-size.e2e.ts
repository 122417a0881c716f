/**
 * Issue #16 "Weight": the first load stays ≤ 200 KB of gzip JS as pages grow. The first load is what index.html
 * asks for before any page runs: its module script and the chunks it preloads. The charts (uPlot) load on demand.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, inject, it } from 'vitest';

it('the first load is at most 200 KB of gzip JS, and uPlot is not part of it', async () => {
  const dist = inject('distDir');
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  let gzip = 0;
  for (const src of scripts) {
    const code = await readFile(join(dist, src.replace(/^\//, '')), 'utf8');
    gzip += gzipSync(code, { level: 9 }).length;
    // A string only uPlot's code holds (its overlay class): present only if the chart library is in the first load.
    expect(code.includes('u-over'), `${src} carries uPlot`).toBe(false);
  }
  console.log(`first load: ${scripts.length} script(s), ${(gzip / 1024).toFixed(2)} KB gzip`);
  expect(gzip).toBeLessThanOrEqual(200 * 1024);
});
