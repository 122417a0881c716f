import { QueryClient } from '@tanstack/react-query';
import { deflateSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import type { DataClient } from '../../../src/ui/data/client.ts';
import { decodeShareHash, SHARE_PREFIX } from '../../../src/ui/share/codec.ts';
import { dailyCsv, testDataClient } from './data-client.ts';
import { cleanup, render } from './render.tsx';

let client: DataClient;
let dispose: () => Promise<void>;
beforeEach(async () => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
  ({ client, dispose } = await testDataClient());
});
afterEach(async () => {
  cleanup();
  await dispose();
});

const storeSpx = (rows: number) => client.importBars(`spx-${rows}`, new File([dailyCsv(rows)], 'SPX.csv'), { fileName: 'SPX.csv' });
const nameBox = () => page.getByRole('textbox', { name: 'Document name' });
const banner = () => page.getByRole('region', { name: 'Shared link' });

async function open() {
  await render(<App data={client} queryClient={new QueryClient()} />);
  await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
}

async function copyLink(): Promise<string> {
  await userEvent.click(page.getByRole('button', { name: 'Copy link' }));
  const box = page.getByRole('textbox', { name: 'Shareable link' });
  await expect.element(box).toBeVisible();
  return (box.element() as HTMLInputElement).value;
}

function visit(url: string) {
  window.location.hash = new URL(url).hash;
}

describe('shareable links', () => {
  it('copies a link carrying the document, data description and fingerprint, and reopens it with a matching fingerprint', async () => {
    await storeSpx(300);
    await open();
    const link = await copyLink();
    const decoded = decodeShareHash(new URL(link).hash);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const current = JSON.parse((page.getByRole('textbox', { name: /^Strategy document/ }).element() as HTMLTextAreaElement).value) as StrategyDocument;
    expect(decoded.payload.doc.strategies).toEqual(current.strategies);
    expect(decoded.payload.data).toMatchObject({ symbols: ['SPX'], timeframe: '1d', rows: 300, source: 'SPX.csv', missing: [] });
    expect(decoded.payload.fingerprint).toMatch(/^[0-9a-f]{16}$/);

    await userEvent.fill(nameBox(), 'My edits');
    visit(link);
    await expect.element(banner()).toHaveTextContent('Data fingerprint matches — a re-run gives identical statistics.');
    await expect.element(nameBox()).toHaveValue('SMA crossover (10/20)');
    expect(window.location.hash).toBe('#/strategy');
    // The link is one undoable edit.
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    await expect.element(nameBox()).toHaveValue('My edits');
  });

  it('says how the data differ when the recipient has other bars', async () => {
    await storeSpx(300);
    await open();
    const link = await copyLink();
    await storeSpx(299);
    visit(link);
    await expect.element(banner()).toHaveTextContent(/Your data differ: 299 bars here, 300 in the link; range 2020-01-02 to 2020-10-26 here, 2020-01-02 to 2020-10-27 in the link\./);
    await client.delete('SPX', '1d');
    visit(link);
    await expect.element(banner()).toHaveTextContent(/Your data differ: no 1d bars stored here for SPX \(import them on the Data page\)/);
  });

  it('opens a link present when the app starts', async () => {
    await storeSpx(300);
    await open();
    const link = await copyLink();
    cleanup();
    localStorage.clear();
    window.history.replaceState(null, '', new URL(link).hash);
    await render(<App data={client} queryClient={new QueryClient()} />);
    await expect.element(banner()).toHaveTextContent('Data fingerprint matches');
    await expect.element(nameBox()).toHaveValue('SMA crossover (10/20)');
  });

  it('refuses a tampered link with a clear error and changes nothing', async () => {
    await storeSpx(300);
    await open();
    const link = await copyLink();
    await userEvent.fill(nameBox(), 'Keep me');
    await expect.poll(() => localStorage.getItem('backtester.draft.v1')).toContain('Keep me');
    const draft = localStorage.getItem('backtester.draft.v1');
    const hash = new URL(link).hash;
    const tampered = hash.slice(0, 20) + (hash[20] === 'A' ? 'B' : 'A') + hash.slice(21);
    window.location.hash = tampered;
    const alert = page.getByRole('alert').filter({ hasText: 'This link could not be opened' });
    await expect.element(alert).toHaveTextContent(/Nothing was changed\./);
    await expect.element(nameBox()).toHaveValue('Keep me');
    expect(localStorage.getItem('backtester.draft.v1')).toBe(draft);
    expect((await client.list()).map((d) => d.rows)).toEqual([300]);

    window.location.hash = '#/s/not*base64';
    await expect.element(alert).toHaveTextContent(/not base64url text/);
    await expect.element(nameBox()).toHaveValue('Keep me');
  });

  it('lists a linked document\'s schema errors by JSON path', async () => {
    await open();
    const d = decodeShareHash(new URL(await copyLink()).hash);
    if (!d.ok) throw d.error;
    const doc = structuredClone(d.payload.doc) as unknown as { strategies: { condition: { lhs: { window: unknown } } }[] };
    doc.strategies[0]!.condition.lhs.window = { weeks: 3 };
    const bytes = deflateSync(new TextEncoder().encode(JSON.stringify({ ...d.payload, doc })));
    window.location.hash = SHARE_PREFIX + btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const problems = page.getByRole('list', { name: 'Link problems' });
    await expect.element(problems).toHaveTextContent('doc.strategies[0].condition.lhs.window expected bars or duration');
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
    await userEvent.click(page.getByRole('button', { name: 'Dismiss' }));
    expect(banner().query()).toBeNull();
  });
});
