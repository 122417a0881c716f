import { describe, expect, it } from 'vitest';
import { parseQueueUrl } from '../../../src/cli/queue/connection.ts';
import { datasetFingerprint, decodeDataset, encodeDataset, DatasetError } from '../../../src/cli/queue/dataset.ts';
import { payloadProblem, PAYLOAD_VERSION } from '../../../src/cli/queue/jobs.ts';
import { candidateHash, decodeExact, encodeExact } from '../../../src/cli/queue/wire.ts';
import { dailyBars } from '../optimize/fixtures.ts';

describe('queue wire format', () => {
  it('keeps NaN, ±Infinity and −0, which plain JSON turns into null and 0', () => {
    const v = { a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0.1 + 0.2, f: [NaN, 1e-300], g: 'x', h: null };
    const back = decodeExact<typeof v>(encodeExact(v));
    expect(back.a).toBeNaN();
    expect(back.b).toBe(Infinity);
    expect(back.c).toBe(-Infinity);
    expect(Object.is(back.d, -0)).toBe(true);
    expect(back.e).toBe(0.1 + 0.2);
    expect(back.f[0]).toBeNaN();
    expect(back.f[1]).toBe(1e-300);
    expect(back.g).toBe('x');
    expect(back.h).toBeNull();
  });

  it('hashes a candidate by scope and values, not by key order', () => {
    expect(candidateHash('s', { fast: 5, slow: 20 })).toBe(candidateHash('s', { slow: 20, fast: 5 }));
    expect(candidateHash('s', { fast: 5, slow: 20 })).not.toBe(candidateHash('s', { fast: 5, slow: 25 }));
    expect(candidateHash('s', { fast: 5 })).not.toBe(candidateHash('t', { fast: 5 }));
    expect(candidateHash('s', { fast: 5 })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('round-trips a data set bit for bit, and its fingerprint covers every column', () => {
    const a = dailyBars(300, 2, 'AAA');
    const b = dailyBars(120, 3, 'BBB');
    const data = { bars: [a, b], series: [{ name: 'score', symbol: 'AAA', length: 2, time: new Float64Array([a.time[0]!, a.time[9]!]), value: new Float64Array([1.5, NaN]) }] };
    const bytes = encodeDataset(data);
    const back = decodeDataset(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    expect(back.bars.map((x) => [x.symbol, x.timeframe, x.length])).toEqual([['AAA', a.timeframe, 300], ['BBB', b.timeframe, 120]]);
    expect(Array.from(back.bars[0]!.high)).toEqual(Array.from(a.high));
    expect(back.series![0]!.value[1]).toBeNaN();
    expect(datasetFingerprint(back)).toBe(datasetFingerprint(data));
    // A change in a column the share-link fingerprint does not read (high) still changes this one.
    const high = a.high.slice();
    high[5]! += 0.01;
    expect(datasetFingerprint({ bars: [{ ...a, high }, b], series: data.series })).not.toBe(datasetFingerprint(data));
  });

  it('carries the bar magnifier\'s finer bars, and they are part of the fingerprint', () => {
    const day = dailyBars(20, 1, 'AAA');
    const minute = dailyBars(200, 4, 'AAA');
    const data = { bars: [day], finer: [{ ...minute, timeframe: '1m' }] };
    const back = decodeDataset(encodeDataset(data));
    expect(back.finer?.map((b) => [b.symbol, b.timeframe, b.length])).toEqual([['AAA', '1m', 200]]);
    expect(Array.from(back.finer![0]!.low)).toEqual(Array.from(minute.low));
    expect(datasetFingerprint(back)).toBe(datasetFingerprint(data));
    expect(datasetFingerprint({ bars: [day] })).not.toBe(datasetFingerprint(data));
  });

  it('carries corporate actions in the header, as part of the fingerprint; a forged action is refused', () => {
    const day = dailyBars(20, 1, 'AAA');
    const actions = [{ symbol: 'AAA', exDate: day.time[5]!, type: 'split' as const, value: 2 }];
    const data = { bars: [day], actions };
    const back = decodeDataset(encodeDataset(data));
    expect(back.actions).toEqual(actions);
    expect(datasetFingerprint(back)).toBe(datasetFingerprint(data));
    expect(datasetFingerprint({ bars: [day], actions: [{ ...actions[0]!, value: 3 }] })).not.toBe(datasetFingerprint(data));
    const forged = encodeDataset({ bars: [day], actions: [{ ...actions[0]!, value: -1 }] });
    expect(() => decodeDataset(forged)).toThrow(/action 0 is not a valid split or dividend/);
  });

  it('refuses truncated or foreign bytes with a DatasetError that says what', () => {
    const bytes = encodeDataset({ bars: [dailyBars(50, 1, 'AAA')] });
    expect(() => decodeDataset(bytes.subarray(0, bytes.length - 8))).toThrow(/bytes, its header describes/);
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0, 0);
    expect(() => decodeDataset(bad)).toThrow(DatasetError);
    expect(() => decodeDataset(new Uint8Array(3))).toThrow(/shorter than its header/);
  });

  it('parses --queue URLs and never prints the password', () => {
    const t = parseQueueUrl('redis://user:s3cret@10.0.0.5:6380/2');
    expect(t).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, username: 'user', password: 's3cret', tls: false });
    expect(t.label).toBe('redis://10.0.0.5:6380/2');
    expect(parseQueueUrl('redis://127.0.0.1').port).toBe(6379);
    expect(() => parseQueueUrl('http://127.0.0.1:6379')).toThrow(/redis:\/\//);
    expect(() => parseQueueUrl('redis://127.0.0.1:6379/99')).toThrow(/0–15/);
    let msg = '';
    try {
      parseQueueUrl('redis://u:topsecret@[bad');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).not.toContain('topsecret');
  });

  it('names the field of a malformed job', () => {
    const good = { v: PAYLOAD_VERSION, searchId: 's1', engineVersion: '1', scope: { data: '0123456789abcdef', slice: null }, doc: {}, candidates: [{ fast: 1 }], hashes: ['0123456789abcdef'] };
    expect(payloadProblem(good)).toBeNull();
    expect(payloadProblem('x')).toMatch(/not an object/);
    expect(payloadProblem({ ...good, candidates: [{ fast: 'x' }] })).toBe('candidates[0].fast: expected a finite number');
    expect(payloadProblem({ ...good, scope: { data: 'zz', slice: null } })).toMatch(/^scope\.data/);
    expect(payloadProblem({ ...good, hashes: [] })).toMatch(/^hashes/);
    expect(payloadProblem({ ...good, v: 99 })).toMatch(/payload version 99/);
  });
});
