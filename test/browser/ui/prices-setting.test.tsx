import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { App } from '../../../src/ui/App.tsx';
import { cleanup, render } from './render.tsx';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
});
afterEach(cleanup);

const editor = () => page.getByRole('textbox', { name: /^Strategy document/ });
const text = () => (editor().element() as HTMLTextAreaElement).value;
const prices = () => page.getByRole('combobox', { name: 'Prices' });

/** The raw/adjusted prices control (issue 11 item 3) writes settings.prices, and the JSON and YAML editors round-trip it. */
describe('Prices setting', () => {
  it('shows adjusted when omitted, writes raw, and round-trips through JSON and YAML', async () => {
    await render(<App runner={null} queryClient={new QueryClient()} />);
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
    await expect.element(prices()).toHaveValue('adjusted');
    expect((JSON.parse(text()) as { settings: { prices?: string } }).settings.prices).toBeUndefined();
    await userEvent.selectOptions(prices(), 'raw');
    await expect.poll(() => (JSON.parse(text()) as { settings: { prices?: string } }).settings.prices).toBe('raw');
    await expect.element(page.getByText(/a split multiplies the position/)).toBeVisible();

    await userEvent.click(page.getByRole('radio', { name: 'YAML' }));
    await expect.element(page.getByRole('textbox', { name: 'Strategy document (YAML)' })).toBeVisible();
    await expect.poll(() => (editor().element() as HTMLTextAreaElement).readOnly).toBe(false);
    expect(text()).toMatch(/^ {2}prices: raw$/m);
    await userEvent.fill(editor(), text().replace(/^ {2}prices: raw$/m, '  prices: adjusted'));
    await expect.element(prices()).toHaveValue('adjusted');

    await userEvent.click(page.getByRole('radio', { name: 'JSON' }));
    await expect.poll(() => text().trimStart().startsWith('{')).toBe(true);
    expect((JSON.parse(text()) as { settings: { prices?: string } }).settings.prices).toBe('adjusted');
    // A value outside the schema typed in the text is shown as not valid, not silently as the first option.
    await userEvent.fill(editor(), text().replace('"prices": "adjusted"', '"prices": "split-adjusted"'));
    await expect.element(prices()).toHaveValue('split-adjusted');
    await expect.element(prices()).toHaveAttribute('aria-invalid', 'true');
  });
});
