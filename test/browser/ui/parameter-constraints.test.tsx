/**
 * Parameter constraints in the builder: stated with selects, mirrored in the JSON, refused with their place when
 * they name an unknown parameter, and shown (with the excluded count) on the Optimize page.
 */
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import { cleanup, render } from './render.tsx';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
});
afterEach(cleanup);

const editor = () => page.getByRole('textbox', { name: /^Strategy document/ });
const json = () => JSON.parse((editor().element() as HTMLTextAreaElement).value) as StrategyDocument;

async function open() {
  await render(<App runner={null} queryClient={new QueryClient()} />);
  await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
}

describe('parameter constraints', () => {
  it('the template states fast < slow in the builder; a second constraint edited in the builder lands in the JSON', async () => {
    await open();
    await expect.element(page.getByRole('combobox', { name: 'Constraint 1 left parameter' })).toHaveValue('fast');
    await expect.element(page.getByRole('combobox', { name: 'Constraint 1 operator' })).toHaveValue('<');
    await expect.element(page.getByRole('combobox', { name: 'Constraint 1 right parameter' })).toHaveValue('slow');
    await userEvent.click(page.getByRole('button', { name: '+ constraint' }));
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Constraint 2 left parameter' }), 'slow');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Constraint 2 operator' }), '>=');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Constraint 2 right parameter' }), 'fast');
    await expect.poll(() => json().parameterConstraints).toEqual([
      { left: 'fast', op: '<', right: 'slow' }, { left: 'slow', op: '>=', right: 'fast' },
    ]);
    // Removing every constraint removes the field rather than leaving an empty list.
    await userEvent.click(page.getByRole('button', { name: 'Remove constraint 2' }));
    await userEvent.click(page.getByRole('button', { name: 'Remove constraint 1' }));
    await expect.poll(() => 'parameterConstraints' in json()).toBe(false);
    await expect.element(page.getByText(/^No constraints\./)).toBeVisible();
  });

  it('renaming a parameter in the builder renames it in the constraint fast < slow and in the rules; the document stays valid', async () => {
    await open();
    await userEvent.fill(page.getByRole('textbox', { name: 'Parameter 2 name' }), 'slowest');
    await expect.poll(() => json().parameterConstraints).toEqual([{ left: 'fast', op: '<', right: 'slowest' }]);
    await expect.element(page.getByRole('combobox', { name: 'Constraint 1 right parameter' })).toHaveValue('slowest');
    await expect.element(page.getByRole('combobox', { name: 'Constraint 1 right parameter' })).not.toHaveAttribute('aria-invalid', 'true');
    expect(JSON.stringify(json().strategies)).not.toContain('"slow"');
    await expect.element(page.getByText('valid', { exact: true })).toBeVisible();
  });

  it('removing a parameter a constraint names removes the constraint with a notice, and Undo brings both back', async () => {
    await open();
    await userEvent.click(page.getByRole('button', { name: 'Remove parameter slow' }));
    await expect.poll(() => 'parameterConstraints' in json()).toBe(false);
    await expect.element(page.getByRole('status').filter({ hasText: 'Removed the constraint' }))
      .toHaveTextContent('Removed the constraint $fast < $slow with $slow: it named it. Undo brings it back.');
    // The rules still say $slow: each reference is refused where it is (only the user knows what replaces it).
    await expect.element(page.getByRole('list', { name: 'Problems' })).toHaveTextContent('unknown parameter "slow"');
    await userEvent.click(page.getByRole('button', { name: 'Undo' }));
    await expect.poll(() => json().parameterConstraints).toEqual([{ left: 'fast', op: '<', right: 'slow' }]);
    await expect.element(page.getByRole('status').filter({ hasText: 'Removed the constraint' })).not.toBeInTheDocument();
  });

  it('a constraint naming an unknown parameter (written in the JSON) is refused next to its select, with its JSON path', async () => {
    await open();
    const text = (editor().element() as HTMLTextAreaElement).value;
    await userEvent.fill(editor(), text.replace('"right": "slow"', '"right": "slowest"'));
    await expect.element(page.getByRole('list', { name: 'Problems' })).toHaveTextContent('parameterConstraints[0].right');
    await expect.element(page.getByRole('list', { name: 'Problems' })).toHaveTextContent('unknown parameter "slowest"; the document declares: fast, slow');
    // The select shows the stale name as not valid instead of silently showing another parameter.
    await expect.element(page.getByRole('combobox', { name: 'Constraint 1 right parameter' })).toHaveAttribute('aria-invalid', 'true');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Constraint 1 right parameter' }), 'slow');
    await expect.poll(() => json().parameterConstraints).toEqual([{ left: 'fast', op: '<', right: 'slow' }]);
    await expect.element(page.getByRole('list', { name: 'Problems' })).not.toBeInTheDocument();
  });

  it('defaults that break a constraint are refused at the constraint', async () => {
    await open();
    await userEvent.fill(page.getByRole('textbox', { name: 'Parameter fast default' }), '30');
    await expect.element(page.getByRole('list', { name: 'Problems' })).toHaveTextContent('the defaults break fast < slow (fast = 30, slow = 20)');
  });

  it('the Optimize page lists the constraints and counts only the combinations they allow', async () => {
    await open();
    await userEvent.click(page.getByRole('link', { name: 'Optimize' }));
    await expect.element(page.getByLabelText('Parameter constraints')).toHaveTextContent('Parameter constraints: $fast < $slow.');
    await userEvent.selectOptions(page.getByLabelText('Method'), 'grid');
    for (const [name, min, max, step] of [['fast', 5, 20, 5], ['slow', 10, 20, 5]] as const) {
      await userEvent.fill(page.getByLabelText(`$${name} min`), String(min));
      await userEvent.fill(page.getByLabelText(`$${name} max`), String(max));
      await userEvent.fill(page.getByLabelText(`$${name} step`), String(step));
    }
    // fast 5, 10, 15, 20 × slow 10, 15, 20: fast < slow keeps 1 + 2 + 3 = 6 of 12.
    await expect.element(page.getByRole('table', { name: /Grid search/ })).toHaveTextContent('Grid search: 6 combinations (6 excluded by the constraints)');
  });
});
