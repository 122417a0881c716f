import { QueryClient } from '@tanstack/react-query';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import { DEFAULT_SYMBOL } from '../../../src/ui/defaults.ts';
import type { Runner } from '../../../src/ui/runner.ts';
import { RESULT } from './fixture.ts';
import { act, cleanup, render } from './render.tsx';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
});
afterEach(cleanup);

const editor = () => page.getByRole('textbox', { name: /^Strategy document/ });
const problems = () => page.getByRole('list', { name: 'Problems' }).getByRole('button');
const text = () => (editor().element() as HTMLTextAreaElement).value;
const json = () => JSON.parse(text()) as StrategyDocument;

async function open(runner: Runner | null = null) {
  await render(<App runner={runner} queryClient={new QueryClient()} />);
  await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
}

/** A runner whose runs end when the test says so, with the fixture's result. */
function heldRunner() {
  const pending: ((r: typeof RESULT) => void)[] = [];
  const runner: Runner = { run: () => new Promise((res) => void pending.push(res)) };
  return { runner, pending };
}

describe('first-visit run', () => {
  it('ends on Results when the user has not touched anything', async () => {
    const { runner, pending } = heldRunner();
    await render(<App runner={runner} queryClient={new QueryClient()} autoRun />);
    // The first-visit run starts once the embedded data are ready: past 1 s under load.
    await vi.waitFor(() => expect(pending).toHaveLength(1), { timeout: 15_000 });
    await act(async () => pending[0]!(RESULT));
    await vi.waitFor(() => expect(location.hash).toBe('#/results'));
  });

  it('ending after an edit does not pull the user off the Strategy page (regression: e2e minute import lost its Run button)', async () => {
    const { runner, pending } = heldRunner();
    await render(<App runner={runner} queryClient={new QueryClient()} autoRun />);
    // The first-visit run starts once the embedded data are ready: past 1 s under load.
    await vi.waitFor(() => expect(pending).toHaveLength(1), { timeout: 15_000 });
    await userEvent.fill(page.getByRole('textbox', { name: 'Strategy 1 name' }), 'Edited while the first run ran');
    await act(async () => pending[0]!(RESULT));
    await new Promise((r) => setTimeout(r, 100));
    expect(location.hash).toBe('#/strategy');
    await expect.element(page.getByRole('button', { name: 'Run backtest' })).toBeEnabled();
  });
});

describe('readying the edited document for Run', () => {
  it('the runner prepares the last valid document once edits pause (an edit burst prepares once), never an invalid one', async () => {
    const prepared: string[] = [];
    const runner: Runner = { run: () => new Promise(() => undefined), prepare: async (d) => { prepared.push(d.strategies[0]!.name); } };
    await open(runner);
    await vi.waitFor(() => expect(prepared).toEqual(['Go long on golden cross']), { timeout: 10_000 });
    const name = page.getByRole('textbox', { name: 'Strategy 1 name' });
    await userEvent.fill(name, 'First edit');
    await userEvent.fill(name, 'Second edit');
    await vi.waitFor(() => expect(prepared).toEqual(['Go long on golden cross', 'Second edit']), { timeout: 10_000 });
    // An invalid draft (no name) is not prepared: the last valid one stays readied.
    await userEvent.fill(name, '');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(prepared).toEqual(['Go long on golden cross', 'Second edit']);
  });
});

describe('Strategy page', () => {
  it('opens the SMA crossover template on the embedded S&P 500 series on a first visit', async () => {
    await open();
    await expect.element(page.getByRole('textbox', { name: 'Universe symbols' })).toHaveValue(DEFAULT_SYMBOL);
    expect(json().settings.universe).toEqual([DEFAULT_SYMBOL]);
    expect(page.getByRole('list', { name: 'Templates' }).getByRole('button').elements().map((b) => b.textContent)).toEqual([
      'SMA crossover (10/20)', 'Buy and hold', 'RSI mean reversion', 'Golden cross (50/200-day)', 'Momentum rotation',
      'Momentum rotation (fundamentals)', 'Payrolls trend (S&P 500)',
    ]);
    await expect.element(page.getByRole('button', { name: 'Run backtest' })).toBeDisabled();
    await expect.element(page.getByText('No backtest engine is connected in this build.')).toBeVisible();
  });

  it('keeps builder and text editor on one document, with undo and redo by button and keyboard', async () => {
    await open();
    await userEvent.fill(page.getByRole('textbox', { name: 'Strategy 1 name' }), 'Enter long');
    expect(json().strategies[0]!.name).toBe('Enter long');

    const doc = json();
    doc.strategies[1]!.name = 'From the editor';
    await userEvent.fill(editor(), JSON.stringify(doc, null, 2));
    await expect.element(page.getByRole('textbox', { name: 'Strategy 2 name' })).toHaveValue('From the editor');

    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    await expect.element(page.getByRole('textbox', { name: 'Strategy 2 name' })).toHaveValue('Go short on death cross');
    expect(json().strategies[0]!.name).toBe('Enter long');
    await userEvent.keyboard('{Control>}z{/Control}');
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
    await userEvent.keyboard('{Control>}{Shift>}z{/Shift}{/Control}');
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Enter long');
    await expect.element(page.getByRole('button', { name: 'Redo' })).toBeEnabled();
  });

  it('keeps text that does not parse, with its syntax error, while the document stays as it was', async () => {
    await open();
    const broken = text().replace('"name": "Go long on golden cross",', '"name": "Half typed"\n');
    await userEvent.fill(editor(), broken);
    expect(text()).toBe(broken);
    await expect.element(problems().first()).toHaveTextContent(/^line \d+syntax/);
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
    await expect.element(page.getByRole('radio', { name: 'YAML' })).toBeDisabled();

    await userEvent.fill(editor(), broken.replace('"name": "Half typed"\n', '"name": "Half typed",'));
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Half typed');
    expect(problems().elements()).toHaveLength(0);
  });

  it('edits YAML and places schema errors on the YAML line of their path', async () => {
    await open();
    await userEvent.click(page.getByRole('radio', { name: 'YAML' }));
    // Until YAML support has loaded the JSON text must not take edits (the switch would overwrite them).
    const area = editor().element() as HTMLTextAreaElement;
    expect(area.readOnly || area.getAttribute('aria-label') === 'Strategy document (YAML)').toBe(true);
    await expect.element(page.getByRole('textbox', { name: 'Strategy document (YAML)' })).toBeVisible();
    expect((editor().element() as HTMLTextAreaElement).readOnly).toBe(false);
    const doc = parseYaml(text()) as StrategyDocument;
    expect(doc.settings.universe).toEqual([DEFAULT_SYMBOL]);
    (doc.strategies[1]!.condition as { rhs: { window: unknown } }).rhs.window = { weeks: 3 };
    const yaml = stringifyYaml(doc);
    await userEvent.fill(editor(), yaml);
    const at = yaml.indexOf('window', yaml.indexOf('id: short'));
    const at2 = yaml.indexOf('window', yaml.indexOf('rhs', at));
    const line = yaml.slice(0, at2).split('\n').length;
    await expect.element(problems().first()).toHaveTextContent(`line ${line}strategies[1].condition.rhs.windowexpected bars or duration`);
    await userEvent.click(problems().first());
    expect((editor().element() as HTMLTextAreaElement).selectionStart).toBe(at2);
  });

  it('picks indicators from a searchable list, nests conditions and shows window errors inline', async () => {
    // An engine is connected, so the disabled run button's reason is the document's problems.
    await open({ run: () => Promise.reject(new Error('an invalid document must not run')) });
    await userEvent.click(page.getByRole('button', { name: 'Condition 1 left: SMA' }));
    await userEvent.fill(page.getByRole('searchbox', { name: 'Search indicators' }), 'strength');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByRole('button', { name: 'Condition 1 left: RSI' })).toBeVisible();
    expect(json().strategies[0]!.condition).toMatchObject({ lhs: { kind: 'rsi', window: { bars: 14 } }, op: 'crossesAbove' });

    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Condition 1 type' }), 'all');
    await userEvent.click(page.getByRole('group', { name: 'Condition 1', exact: true }).getByRole('button', { name: '+ comparison' }));
    const cond = json().strategies[0]!.condition as { all: unknown[] };
    expect(cond.all).toHaveLength(2);
    expect(cond.all[0]).toMatchObject({ lhs: { kind: 'rsi' } });

    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Condition 1.2 comparator' }), 'crossesBelow');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Condition 1.2 right window unit' }), 'duration');
    await userEvent.fill(page.getByRole('textbox', { name: 'Condition 1.2 right window duration' }), '3x');
    const path = 'strategies[0].condition.all[1].rhs.window.duration';
    await expect.element(problems().first()).toHaveTextContent(path);
    await expect.element(page.getByRole('region', { name: 'Builder' }).getByText('expected a duration like "15m", "4h", "30d" or "2w"')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Run backtest' })).toBeDisabled();
    await expect.element(page.getByText(/^Fix \d+ problems? first\.$/)).toHaveTextContent('Fix 1 problem first.');

    await userEvent.fill(page.getByRole('textbox', { name: 'Condition 1.2 right window duration' }), '30d');
    expect(problems().elements()).toHaveLength(0);
    expect(json().strategies[0]!.condition).toMatchObject({ all: [{}, { op: 'crossesBelow', rhs: { kind: 'sma', window: { duration: '30d' } } }] });
    await userEvent.click(page.getByRole('button', { name: 'Remove Condition 1.2' }));
    expect((json().strategies[0]!.condition as { all: unknown[] }).all).toHaveLength(1);
  });

  it('reorders, adds and removes strategies, edits parameters, and references them', async () => {
    await open();
    await userEvent.click(page.getByRole('button', { name: 'Move strategy 2 up' }));
    expect(json().strategies.map((s) => s.id)).toEqual(['short', 'long']);
    await userEvent.click(page.getByRole('button', { name: '+ Add strategy' }));
    expect(json().strategies.map((s) => s.id)).toEqual(['short', 'long', 's3']);
    await userEvent.click(page.getByRole('button', { name: 'Remove strategy 1' }));
    expect(json().strategies.map((s) => s.id)).toEqual(['long', 's3']);

    await userEvent.fill(page.getByRole('textbox', { name: 'Parameter fast default' }), '12');
    expect(json().parameters.fast!.default).toBe(12);
    await userEvent.fill(page.getByRole('textbox', { name: 'Parameter fast max' }), '');
    expect(json().parameters.fast).toEqual({ default: 12, min: 2, step: 1, description: 'fast SMA length (bars)' });

    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 1 weight source' }), 'slow');
    expect(json().strategies[0]!.action).toEqual({ type: 'setWeight', weight: { $param: 'slow' } });
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 type' }), 'buy');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 amount unit' }), 'percentOfEquity');
    await userEvent.fill(page.getByRole('textbox', { name: 'Action 2 amount' }), '25');
    expect(json().strategies[1]!.action).toEqual({ type: 'buy', amount: { unit: 'percentOfEquity', value: 25 } });
  });

  it('edits settings and warns visibly about close fills', async () => {
    await open();
    await userEvent.fill(page.getByRole('textbox', { name: 'Universe symbols' }), 'SPX, AAPL MSFT');
    await userEvent.fill(page.getByRole('textbox', { name: 'Fee per share' }), '0.005');
    await userEvent.fill(page.getByRole('textbox', { name: 'Slippage in basis points' }), '2');
    await userEvent.fill(page.getByRole('textbox', { name: 'Start date' }), '2015-01-02');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Fill model' }), 'close');
    await expect.element(page.getByRole('note')).toHaveTextContent(/optimistic/);
    await expect.element(problems().first()).toHaveTextContent('settings.fillModel');
    const s = json().settings;
    expect(s).toMatchObject({ universe: ['SPX', 'AAPL', 'MSFT'], fees: { fraction: 0.002, perShare: 0.005 }, slippage: { bps: 2 }, range: { from: '2015-01-02' }, fillModel: 'close' });
  });

  it('loads a template from the gallery, undoably, including universe rules with $asset', async () => {
    await open();
    await userEvent.click(page.getByRole('button', { name: 'Momentum rotation (fundamentals)' }));
    await expect.element(page.getByRole('textbox', { name: 'Document name' })).toHaveValue('Momentum rotation (fundamentals)');
    await expect.element(page.getByRole('textbox', { name: 'Action 1 rule candidates' })).toHaveValue('AAPL, AMZN, GOOG, IBM, MSFT');
    await expect.element(page.getByRole('combobox', { name: 'Action 1 rule filter.1 left asset' })).toHaveValue('$asset');
    await expect.element(page.getByRole('combobox', { name: 'Action 1 rule limit source' })).toHaveValue('top');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 1 rule weighting' }), 'inverseVolatility');
    expect((json().strategies[0]!.action as { universe: { weighting: unknown } }).universe.weighting).toEqual({ kind: 'inverseVolatility', window: { bars: 20 } });
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    await expect.element(page.getByRole('textbox', { name: 'Document name' })).toHaveValue('SMA crossover (10/20)');
  });

  it('runs the validated document through the Runner and shows its result', async () => {
    const calls: StrategyDocument[] = [];
    await open({
      run: async (doc) => {
        calls.push(doc);
        return RESULT;
      },
    });
    await userEvent.click(page.getByRole('button', { name: 'Run backtest' }));
    await expect.element(page.getByRole('heading', { name: 'SMA crossover (10/20)' })).toBeVisible();
    expect(location.hash).toBe('#/results');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.settings).toMatchObject({ universe: [DEFAULT_SYMBOL], fillModel: 'nextOpen', slippage: { bps: 0, fixed: 0 } });
    await expect.element(page.getByRole('table', { name: 'Statistics' })).toBeVisible();
    await expect.element(page.getByRole('link', { name: 'Results' })).toHaveAttribute('aria-current', 'page');
  });

  it('shows a failed run and the parameter space on the Optimize page', async () => {
    await open({ run: () => Promise.reject(new Error('no bars for SPX')) });
    await userEvent.click(page.getByRole('button', { name: 'Run backtest' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent('Run failed: no bars for SPX');
    await userEvent.click(page.getByRole('link', { name: 'Optimize' }));
    // fast: 2…50 step 1 = 49 values; slow: 5…200 step 5 = 40 values; 1,725 of the 1,960 keep fast < slow.
    await expect.element(page.getByRole('table', { name: /Random search/ })).toHaveTextContent('Random search: 1,000 of 1,725 combinations, sampled (235 excluded by the constraints)');
    await expect.element(page.getByLabelText('Parameter constraints')).toHaveTextContent('Parameter constraints: $fast < $slow.');
  });
});
