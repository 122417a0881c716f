/**
 * Regression: the text editor sized a draft by walking it, pushing an array's items with push(...items); a
 * pasted draft holding an array of ~125k values or more overflowed the stack and took the Strategy page down.
 * Such a draft is over the document limits (validation refuses it), but the editor must not crash on it.
 */
import { afterEach, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import type { Draft } from '../../../src/ui/doc/draft.ts';
import { DocumentEditor } from '../../../src/ui/strategy/DocumentEditor.tsx';
import '../../../src/ui/styles.css';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

it('a draft with a 300k-value array opens the text editor collapsed instead of overflowing the stack', async () => {
  const doc = { version: 1, name: 'pasted', settings: { universe: Array.from({ length: 300_000 }, (_, i) => `S${i}`) }, strategies: [] } as unknown as Draft;
  await render(<DocumentEditor doc={doc} onChange={() => {}} errors={[]} warnings={[]} />);
  await expect.element(page.getByTestId('editor-collapsed')).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Edit as text anyway (slow)' })).toBeVisible();
});
