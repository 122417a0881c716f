/**
 * Alert actions raise a browser notification when permitted (issue 14 item 6): the Live page on the app shell,
 * practice on the embedded data, with the browser's Notification replaced by a recorder granted permission
 * (headless Chromium shows none), and the "Notify me of alerts" offer while permission is undecided.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { freshLiveState, leaveLivePage, openLiveApp } from './live-app.tsx';

async function alerting(): Promise<StrategyDocument> {
  const r = parseDocument(await (await fetch('/strategies/sma-cross.json')).json());
  if (!r.ok) throw new Error('template invalid');
  const asset = r.doc.settings.universe[0]!;
  const doc = { ...r.doc, name: 'alerts', settings: { ...r.doc.settings, range: { to: '2000-03-31' } } };
  const p = parseDocument({ ...doc, strategies: [...doc.strategies, { id: 'note', name: 'note', condition: { lhs: { kind: 'price', asset, field: 'close' }, op: '>', rhs: 0 }, action: { type: 'alert', message: 'closed above zero' } }] });
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.doc;
}

const real = globalThis.Notification;
function recorder(permission: NotificationPermission) {
  const shown: { title: string; body: string | undefined }[] = [];
  const Rec = class {
    static permission = permission;
    static requestPermission = vi.fn(async () => { Rec.permission = 'granted'; return 'granted' as const; });
    constructor(title: string, o?: NotificationOptions) { shown.push({ title, body: o?.body }); }
  };
  (globalThis as { Notification: unknown }).Notification = Rec;
  return { Rec, shown };
}

beforeEach(freshLiveState);
afterEach(() => {
  leaveLivePage();
  (globalThis as { Notification: unknown }).Notification = real;
});

describe('Live page alert notifications', () => {
  it('an alert action raises a notification with its message once permitted (the burst cap is in the unit test)', async () => {
    const { Rec, shown } = recorder('default');
    await openLiveApp(await alerting());
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Replay speed' }), '1 bar a second');
    await userEvent.click(page.getByRole('button', { name: 'Deploy to practice' }));
    await expect.element(page.getByTestId('live-state')).toHaveTextContent(/running/);
    await userEvent.click(page.getByRole('button', { name: 'Notify me of alerts' }));
    expect(Rec.requestPermission).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(shown.some((n) => n.title === 'alerts: note' && n.body === 'closed above zero')).toBe(true), { timeout: 60_000, interval: 100 });
    await expect.element(page.getByRole('button', { name: 'Notify me of alerts' })).not.toBeInTheDocument();
  }, 120_000);
});
