import { describe, expect, it } from 'vitest';
import { createEngineService } from '../../../src/engine/service.ts';
import type { CorporateAction } from '../../../src/schema/index.ts';
import { crossDocBothAssets, dailyBars } from '../pool/fixture.ts';

const doc = crossDocBothAssets;

describe('assetColumns: one asset\'s indicator columns from its bars alone (computed while the page loads the next)', () => {
  const bars = dailyBars();
  const [aaa, bbb] = bars;
  const actions: CorporateAction[] = [
    { symbol: 'AAA', exDate: aaa!.time[300]!, type: 'split', value: 2 },
    { symbol: 'BBB', exDate: bbb!.time[450]!, type: 'dividend', value: bbb!.close[449]! / 100 },
  ];

  for (const prices of ['adjusted', 'raw'] as const) {
    it(`equal, bit for bit, to the data set's columns for that asset (${prices} prices, with the symbol's actions)`, () => {
      const service = createEngineService();
      service.load('all', { bars, actions });
      const d = doc(prices);
      const whole = service.indicatorColumns('all', d, undefined, [0, 1]);
      const perAsset = bars.flatMap((b) => service.assetColumns(d, undefined, b, actions.filter((a) => a.symbol === b.symbol)));
      expect(perAsset.map((e) => [e.index, e.key])).toEqual(whole.map((e) => [e.index, e.key]));
      perAsset.forEach((e, i) => e.columns.forEach((c, k) => expect(Object.is(c, whole[i]!.columns[k])).toBe(false)));
      expect(perAsset.map((e) => e.columns)).toEqual(whole.map((e) => e.columns));
      // Seeded into a data set's cache, they are what its runs read: nothing computed there.
      service.load('seeded', { bars, actions });
      service.seedColumns('seeded', d, undefined, perAsset);
      expect(service.columnCounts('seeded')).toEqual({ computed: 0, seeded: whole.length });
      const a = service.run({ id: 1, dataId: 'seeded', doc: d, audit: false });
      expect(service.columnCounts('seeded').computed).toBe(0);
      expect(a).toEqual(service.run({ id: 2, dataId: 'all', doc: d, audit: false }));
    });
  }

  it('adjusted prices: a split changes the columns, so the symbol\'s actions are applied before computing', () => {
    const service = createEngineService();
    const d = doc('adjusted');
    const plain = service.assetColumns(d, undefined, aaa!, undefined);
    const adjusted = service.assetColumns(d, undefined, aaa!, actions.filter((a) => a.symbol === 'AAA'));
    expect(adjusted.map((e) => e.columns)).not.toEqual(plain.map((e) => e.columns));
  });

  it('refuses bars of a symbol the document does not trade, naming both', () => {
    expect(() => createEngineService().assetColumns(doc('raw'), undefined, { ...aaa!, symbol: 'ZZZ' }, undefined))
      .toThrow('ZZZ is not an asset of this document (AAA, BBB)');
  });
});
