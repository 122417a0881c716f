import { describe, expect, it } from 'vitest';
import type { SignalEvent } from '../../../src/schema/index.ts';
import { notifyAlerts, type NotifierApi } from '../../../src/ui/live/alert-notify.ts';

const sig = (time: number, action: string, message: string | null = null): SignalEvent => ({ time, strategyId: 's', action, weights: null, orderIds: [], message });

function fakeApi(permission: NotificationPermission) {
  const shown: { title: string; options?: NotificationOptions }[] = [];
  const Api = class {
    static permission = permission;
    static requestPermission = async () => permission;
    constructor(title: string, options?: NotificationOptions) { shown.push({ title, options }); }
  } as unknown as NotifierApi;
  return { Api, shown };
}

describe('live alert notifications', () => {
  it('notifies each alert signal newer than the last one seen, once, and nothing else', () => {
    const { Api, shown } = fakeApi('granted');
    const history = [sig(1, 'alert', 'old'), sig(2, 'buy')];
    // First look (a reload): remembers the newest time, replays nothing.
    const t0 = notifyAlerts('dep', history, null, Api);
    expect(shown).toEqual([]);
    expect(t0).toBe(2);
    const t1 = notifyAlerts('dep', [...history, sig(3, 'alert', 'RSI below 30'), sig(4, 'sell')], t0, Api);
    expect(shown).toEqual([{ title: 'dep: s', options: { body: 'RSI below 30', tag: 'dep s 3' } }]);
    expect(t1).toBe(4);
    // The same snapshot again notifies nothing new.
    notifyAlerts('dep', [...history, sig(3, 'alert', 'RSI below 30'), sig(4, 'sell')], t1, Api);
    expect(shown).toHaveLength(1);
  });

  it('a burst (a fast replay) shows the last three and one notification counting the rest', () => {
    const { Api, shown } = fakeApi('granted');
    notifyAlerts('dep', Array.from({ length: 10 }, (_, i) => sig(i + 1, 'alert', `a${i + 1}`)), 0, Api);
    expect(shown.map((x) => x.options?.body)).toEqual(['See the Signals list on the Live page.', 'a8', 'a9', 'a10']);
    expect(shown[0]!.title).toBe('dep: 7 more alerts');
  });

  it('without permission (or without the API) it only keeps the time', () => {
    for (const api of [fakeApi('denied'), fakeApi('default')]) {
      expect(notifyAlerts('dep', [sig(5, 'alert', 'x')], 0, api.Api)).toBe(5);
      expect(api.shown).toEqual([]);
    }
    expect(notifyAlerts('dep', [sig(5, 'alert', 'x')], 0, null)).toBe(5);
  });
});
