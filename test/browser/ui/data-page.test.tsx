import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { DataClient } from '../../../src/ui/data/client.ts';
import { DataPage } from '../../../src/ui/data/DataPage.tsx';
import { dailyCsv, testDataClient } from './data-client.ts';
import { cleanup, render } from './render.tsx';

let client: DataClient;
let dispose: () => Promise<void>;
beforeEach(async () => {
  ({ client, dispose } = await testDataClient());
});
afterEach(async () => {
  cleanup();
  await dispose();
});

async function open() {
  await render(
    <QueryClientProvider client={new QueryClient()}>
      <DataPage doc={null} data={client} />
    </QueryClientProvider>,
  );
  await expect.element(page.getByText('No bars are stored on this device yet.')).toBeVisible();
}

function chooseFiles(...files: File[]) {
  const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const table = () => page.getByRole('table', { name: 'Stored datasets' });

describe('Data page with the real data worker, OPFS and IndexedDB', () => {
  it('imports a file chosen with the picker and reports kept and rejected rows with line numbers and reasons', async () => {
    await open();
    expect(page.getByRole('button', { name: 'Choose files…' }).element()).toBeInstanceOf(HTMLButtonElement);
    chooseFiles(new File([dailyCsv(300, { 9: '2020-01-11,abc,1,1,1,1', 19: '2020-01-21,10,9,11,10,5' })], 'ABC.csv'));
    const report = page.getByRole('region', { name: 'Import report for ABC.csv' });
    await expect.element(report).toBeVisible();
    await expect.element(page.getByTestId('rows-read')).toHaveTextContent('300');
    await expect.element(page.getByTestId('rows-kept')).toHaveTextContent('298');
    await expect.element(page.getByTestId('rows-rejected')).toHaveTextContent(/^2 \(/);
    const rejected = report.getByRole('table').element().querySelectorAll('tbody tr');
    // Line numbers are 1-based file lines: the header is line 1, so row 9 is line 11.
    expect([...rejected].map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent))).toEqual([
      ['11', 'unparseable-number'],
      ['21', 'high-below-low'],
    ]);
    const row = table().getByRole('row', { name: /ABC/ });
    await expect.element(row).toBeVisible();
    expect([...row.element().querySelectorAll('th,td')].slice(0, 7).map((c) => c.textContent)).toEqual([
      'ABC', '1d', '2020-01-02', '2020-10-27', '298', expect.stringMatching(/KB$/), 'ABC.csv',
    ]);
    expect((await client.list()).map((d) => [d.id, d.rows])).toEqual([['bars:ABC:1d', 298]]);
    await expect.element(page.getByTestId('storage-used')).not.toHaveTextContent('…');
  });

  it('imports dropped files in turn, with the symbol override for a single file, and deletes after confirming', async () => {
    await open();
    await userEvent.fill(page.getByRole('textbox', { name: 'Symbol' }), 'spy');
    const dt = new DataTransfer();
    dt.items.add(new File([dailyCsv(50)], 'whatever.csv'));
    const zone = page.getByTestId('drop-zone').element();
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await expect.element(table().getByRole('rowheader', { name: 'SPY' })).toBeVisible();

    await userEvent.click(page.getByRole('button', { name: 'Delete SPY 1d' }));
    await userEvent.click(page.getByRole('button', { name: 'Keep SPY 1d' }));
    expect((await client.list()).length).toBe(1);
    await userEvent.click(page.getByRole('button', { name: 'Delete SPY 1d' }));
    await userEvent.click(page.getByRole('button', { name: 'Confirm delete SPY 1d' }));
    await expect.element(page.getByText('No bars are stored on this device yet.')).toBeVisible();
    expect(await client.list()).toEqual([]);
  });

  it('shows progress and cancels a large import, leaving the stored dataset as it was', async () => {
    await open();
    chooseFiles(new File([dailyCsv(100)], 'BIG.csv'));
    await expect.element(table().getByRole('rowheader', { name: 'BIG' })).toBeVisible();
    // About 60 MB (one block of rows repeated): long enough to see progress and cancel before it finishes.
    const block = dailyCsv(2000).slice(dailyCsv(0).length);
    chooseFiles(new File([dailyCsv(0), ...Array.from({ length: 600 }, () => block)], 'BIG.csv'));
    const bar = page.getByRole('progressbar', { name: 'Importing BIG.csv' });
    await expect.element(bar).toBeVisible();
    await expect.poll(() => Number(bar.element().getAttribute('value') ?? 0), { timeout: 20_000 }).toBeGreaterThan(0);
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    await expect.element(page.getByText('Import of BIG.csv cancelled; stored data are unchanged.')).toBeVisible();
    expect((await client.list()).map((d) => [d.id, d.rows])).toEqual([['bars:BIG:1d', 100]]);
    await expect.element(table().getByRole('cell', { name: '100', exact: true })).toBeVisible();
  });

  it('reports a file with nothing usable as a failed import', async () => {
    await open();
    chooseFiles(new File(['just some words\nnot, bars\n'], 'JUNK.csv'));
    await expect.element(page.getByRole('alert')).toHaveTextContent(/^Import of JUNK\.csv failed: .+Stored data are unchanged\.$/);
    expect(await client.list()).toEqual([]);
  });

  it('asks the browser to keep data on this device', async () => {
    await open();
    const button = page.getByRole('button', { name: 'Keep data on this device' });
    if (await navigator.storage.persisted()) return expect(button.query()).toBeNull();
    await userEvent.click(button);
    const granted = await navigator.storage.persisted();
    if (granted) await expect.element(page.getByText('yes: the browser will not evict the bars')).toBeVisible();
    else await expect.element(page.getByText(/The browser declined/)).toBeVisible();
  });
});

describe('external series on the Data page', () => {
  it('imports a series with a publication lag, lists it with its range, and deletes it after confirming', async () => {
    await open();
    await expect.element(page.getByText('No series are stored on this device yet.')).toBeVisible();
    await userEvent.fill(page.getByRole('textbox', { name: 'Publication lag' }), 'a month');
    await expect.element(page.getByRole('alert')).toHaveTextContent('Publication lag: expected a duration like 35d, 2w or 12h');
    await expect.element(page.getByRole('button', { name: 'Import series…' })).toBeDisabled();
    await userEvent.fill(page.getByRole('textbox', { name: 'Publication lag' }), '2d');
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Series file"]')!;
    const dt = new DataTransfer();
    dt.items.add(new File(['date,cpi\n2020-01-31,1.5\n2020-02-29,bad\n2020-03-31,1.7\n'], 'cpi.csv'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.element(page.getByTestId('series-report')).toHaveTextContent(/cpi\.csv: series “cpi”, 2 value\(s\) kept, 1 rejected \(line 3: unparseable-number\), known at column “date” \+ the publication lag\./);
    const row = page.getByRole('table', { name: 'Stored series' }).getByRole('row', { name: /cpi/ });
    await expect.element(row).toBeVisible();
    expect([...row.element().querySelectorAll('th,td')].slice(0, 6).map((c) => c.textContent)).toEqual(['cpi', 'global', '2020-02-02', '2020-04-02', '2', 'cpi.csv (date, lag 2 d)']);
    expect(Array.from((await client.getSeries('cpi', null))!.time, (t) => new Date(t).toISOString())).toEqual(['2020-02-02T00:00:00.000Z', '2020-04-02T00:00:00.000Z']);
    await userEvent.click(page.getByRole('button', { name: 'Delete series cpi' }));
    await userEvent.click(page.getByRole('button', { name: 'Confirm delete series cpi' }));
    await expect.element(page.getByText('No series are stored on this device yet.')).toBeVisible();
    expect(await client.getSeries('cpi', null)).toBeNull();
  });
});

describe('sample data', () => {
  it('stores the embedded S&P 500 series and lists it', async () => {
    await open();
    await userEvent.click(page.getByRole('button', { name: 'Add sample data' }));
    await expect.element(table().getByRole('rowheader', { name: 'SPX' })).toBeVisible();
    const spx = (await client.list()).find((d) => d.id === 'bars:SPX:1d');
    expect(spx?.rows).toBeGreaterThan(100);
  });
});

function chooseActions(file: File) {
  const input = document.querySelector<HTMLInputElement>('input[aria-label="Corporate actions file"]')!;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const cells = (symbol: string) => [...page.getByRole('table', { name: 'Stored corporate actions' }).getByRole('row', { name: new RegExp(`^${symbol}\\b`) })
  .element().querySelectorAll('th,td')].slice(0, 6).map((c) => c.textContent);

describe('corporate actions on the Data page (real data worker and IndexedDB)', () => {
  it('imports a file, lists count and ex-date range per symbol, refuses a bad file saying where (nothing stored lost), and deletes after confirming', async () => {
    await open();
    await expect.element(page.getByText('No corporate actions are stored on this device yet.')).toBeVisible();
    chooseActions(new File(['symbol,date,type,value\nAAPL,2020-08-31,split,4:1\nAAPL,2020-08-07,dividend,0.82\nAAPL,2014-06-09,split,7\nKO,2021-03-12,dividend,0.42\n'], 'actions.csv'));
    await expect.element(page.getByTestId('actions-report')).toHaveTextContent('actions.csv: AAPL 2 split(s), 1 dividend(s); KO 0 split(s), 1 dividend(s) stored.');
    await expect.element(page.getByRole('table', { name: 'Stored corporate actions' })).toBeVisible();
    expect(cells('AAPL')).toEqual(['AAPL', '2', '1', '2014-06-09', '2020-08-31', 'actions.csv']);
    expect(cells('KO')).toEqual(['KO', '0', '1', '2021-03-12', '2021-03-12', 'actions.csv']);

    // One bad line rejects the whole file: the error names file, line, column and field; both symbols keep theirs.
    chooseActions(new File(['symbol,date,type,value\nKO,2022-01-03,split,2\nAAPL,2021-13-01,dividend,1\nAAPL,2021-02-05,bonus,1\n'], 'bad.csv'));
    const error = page.getByTestId('actions-error');
    await expect.element(error).toHaveTextContent('Import of bad.csv failed; stored corporate actions are unchanged.');
    await expect.element(error).toHaveTextContent(/bad\.csv:3:2 \(date\): "2021-13-01" is not an ex-date/);
    await expect.element(error).toHaveTextContent(/bad\.csv:4:3 \(type\)/);
    expect(cells('KO')).toEqual(['KO', '0', '1', '2021-03-12', '2021-03-12', 'actions.csv']);
    expect((await client.listActions()).map((r) => [r.symbol, r.actions.length])).toEqual([['AAPL', 3], ['KO', 1]]);

    // A good file replaces only the symbols it names.
    chooseActions(new File(['symbol,date,type,value\nKO,2022-01-03,split,3:2\n'], 'ko.csv'));
    await expect.element(page.getByTestId('actions-report')).toHaveTextContent('ko.csv: KO 1 split(s), 0 dividend(s) stored.');
    await expect.poll(() => cells('KO')).toEqual(['KO', '1', '0', '2022-01-03', '2022-01-03', 'ko.csv']);
    expect(cells('AAPL')).toEqual(['AAPL', '2', '1', '2014-06-09', '2020-08-31', 'actions.csv']);

    await userEvent.click(page.getByRole('button', { name: 'Delete corporate actions of AAPL' }));
    await userEvent.click(page.getByRole('button', { name: 'Confirm delete corporate actions of AAPL' }));
    await expect.poll(() => page.getByRole('row', { name: /^AAPL\b/ }).elements().length).toBe(0);
    expect((await client.listActions()).map((r) => r.symbol)).toEqual(['KO']);
  });
});
