import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { answersFor } from '../../../src/llm/assemble.ts';
import type { Condition, StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import { saveLlmSettings } from '../../../src/ui/llm/store.ts';
import { RESULT } from '../ui/fixture.ts';
import { cleanup, render } from '../ui/render.tsx';

const FAKE = inject('llmFakeUrl');
const KEY = 'sk-browser-secret-0123456789';

beforeEach(async () => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
  await saveLlmSettings(null);
});
afterEach(cleanup);

const editor = () => page.getByRole('textbox', { name: /^Strategy document/ });
const json = () => JSON.parse((editor().element() as HTMLTextAreaElement).value) as StrategyDocument;

async function script(s: Record<string, unknown[]>) {
  const res = await fetch(`${FAKE}/__script`, { method: 'POST', body: JSON.stringify({ script: s }) });
  expect(res.ok).toBe(true);
}
async function log(): Promise<{ requests: { task: string; headers: Record<string, string>; body: { model: string } }[]; maxConcurrent: number }> {
  return (await fetch(`${FAKE}/__log`)).json();
}

async function open(run: (doc: StrategyDocument) => void = () => {}) {
  await render(<App runner={{ run: async (doc) => (run(doc), RESULT) }} queryClient={new QueryClient()} />);
  await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
  await expect.element(page.getByRole('heading', { name: 'Describe in words' })).toBeVisible();
}

describe('Describe in words (the plain-English panel)', () => {
  it('without a provider says exactly how to configure one, including a local server, and sends nothing', async () => {
    await open();
    const note = page.getByRole('region', { name: 'How to connect a language model' });
    await expect.element(note).toHaveTextContent('http://127.0.0.1:11434/v1');
    await expect.element(note).toHaveTextContent('Settings page');
    await userEvent.fill(page.getByRole('textbox', { name: 'Describe the strategy or the change' }), 'buy the dip');
    await expect.element(page.getByRole('button', { name: 'Generate' })).toBeDisabled();
  });

  it('prompt → progress → diff in builder view and JSON → Accept → undo/redo → the backtest runs', async () => {
    const runs: StrategyDocument[] = [];
    await open((d) => runs.push(d));
    const before = json();

    // The fake answers like a model asked to change only the long rule's slow average.
    const a = answersFor(before);
    a.outline.strategies[0]!.edit = 'condition';
    a.outline.strategies[0]!.when = 'the fast SMA crosses above the 50-bar SMA';
    a.outline.strategies[1]!.edit = 'keep';
    const condition: Condition = { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: 'crossesAbove', rhs: { kind: 'sma', window: { bars: 50 } } };
    await script({ outline: [{ json: a.outline }], 'condition:long': [{ json: { condition }, delayMs: 200 }] });

    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Provider' }), 'openai');
    await userEvent.fill(page.getByRole('textbox', { name: 'Base URL' }), `${FAKE}/v1`);
    await userEvent.fill(page.getByLabelText('API key'), KEY);
    await userEvent.fill(page.getByRole('textbox', { name: 'Escalation model' }), 'gpt-4o');
    await userEvent.fill(page.getByRole('textbox', { name: 'Model', exact: true }), 'gpt-4o-mini');
    await expect.element(page.getByRole('button', { name: 'Generate' })).toBeDisabled();
    await userEvent.fill(page.getByRole('textbox', { name: 'Describe the strategy or the change' }), 'make the slow average of the long rule 50 bars');
    await userEvent.keyboard('{Control>}{Enter}{/Control}');

    await expect.element(page.getByRole('list', { name: 'Progress' })).toHaveTextContent('Outline (settings, parameters, rules): done');
    const proposal = page.getByRole('region', { name: 'Proposed document' });
    await expect.element(proposal).toBeVisible();
    await expect.element(proposal.getByRole('list', { name: 'Explanation' })).toHaveTextContent('when SMA(fast bars) crosses above SMA(50 bars), set SPX to weight 1');
    const rules = proposal.getByRole('list', { name: 'Rule changes' });
    await expect.element(rules).toHaveTextContent('Go long on golden cross changed');
    await expect.element(rules).toHaveTextContent('When: SMA(fast bars) crosses above SMA(slow bars) → SMA(fast bars) crosses above SMA(50 bars)');
    await expect.element(rules).toHaveTextContent('Go short on death cross same');
    // The editor is untouched until Accept.
    expect(json()).toEqual(before);

    await userEvent.click(proposal.getByRole('radio', { name: 'JSON' }));
    const diff = proposal.getByLabelText('JSON diff, 4 changed lines');
    await expect.element(diff).toHaveTextContent(/\+ +"bars": 50/);
    await expect.element(diff).toHaveTextContent(/- +"\$param": "slow"/);

    const requests = (await log()).requests;
    expect(requests.map((r) => r.task).sort()).toEqual(['condition:long', 'outline']);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    await userEvent.click(page.getByText(/^Attempt log — 2 requests, 2,400 \+ 600 tokens, ≈ \$0\.0007$/));
    await expect.element(page.getByRole('table', { name: 'Attempt log' })).toHaveTextContent(/outlinegpt-4o-mini1ok[\d,]+1200 \/ 300\d+ ms\$0\.00036/);
    expect(page.getByRole('table', { name: 'Attempt log' }).getByRole('row').elements()).toHaveLength(3);

    await userEvent.click(proposal.getByRole('button', { name: 'Accept' }));
    await expect.element(page.getByRole('status').filter({ hasText: 'Applied to the document' })).toBeVisible();
    expect((json().strategies[0]!.condition as { rhs: unknown }).rhs).toEqual({ kind: 'sma', window: { bars: 50 } });
    expect(json().strategies[1]).toEqual(before.strategies[1]);

    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    expect(json()).toEqual(before);
    await userEvent.click(page.getByRole('button', { name: 'Redo' }));
    expect((json().strategies[0]!.condition as { rhs: unknown }).rhs).toEqual({ kind: 'sma', window: { bars: 50 } });

    await userEvent.click(page.getByRole('button', { name: 'Run backtest' }));
    await expect.element(page.getByRole('table', { name: 'Statistics' })).toBeVisible();
    expect(runs).toHaveLength(1);
    expect((runs[0]!.strategies[0]!.condition as { rhs: unknown }).rhs).toEqual({ kind: 'sma', window: { bars: 50 } });
    // The key stays in the panel's own store: not in the draft, not in the run history's document.
    expect(JSON.stringify({ ...localStorage })).not.toContain(KEY);
    expect(JSON.stringify(runs)).not.toContain(KEY);
  });

  it('shows the final failure in words and keeps the document as it was', async () => {
    await saveLlmSettings({ provider: 'openai', model: 'gpt-4o-mini', escalateModel: '', baseUrl: `${FAKE}/v1`, apiKey: KEY, viaProxy: false, stream: false });
    await script({ outline: [{ refusal: 'I will not help with that.' }] });
    await open();
    const before = json();
    await userEvent.fill(page.getByRole('textbox', { name: 'Describe the strategy or the change' }), 'something forbidden');
    await userEvent.click(page.getByRole('button', { name: 'Generate' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent('openai gpt-4o-mini declined: I will not help with that.');
    expect(json()).toEqual(before);
    await expect.element(page.getByRole('alert')).not.toHaveTextContent(KEY);
  });
});
