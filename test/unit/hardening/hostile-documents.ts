/**
 * Hostile strategy documents for the attack suite (issue #10): each is built as JSON text (so "__proto__"
 * stays an own key, as it would from a file or a link) with the JSON path its refusal must name, or
 * `refuse: false` for large or odd documents that must be accepted and run.
 */
export interface HostileCase {
  name: string;
  json: string;
  /** Expected: refused with an error whose path matches this, or accepted (false). */
  refuse: RegExp | false;
}

type Json = Record<string, unknown>;

export function baseDoc(): Json {
  return {
    version: 1,
    name: 'hostile',
    settings: { universe: ['SPY'], timeframe: '1d', initialCash: 10_000 },
    parameters: { fast: { default: 5, min: 2, max: 20, step: 1 } },
    strategies: [
      {
        id: 'a',
        name: 'a',
        condition: { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: '>', rhs: { kind: 'price', field: 'close' } },
        action: { type: 'setWeight', weight: 1 },
      },
    ],
  };
}

const cmp = (bars: unknown = 3): Json => ({ lhs: { kind: 'sma', window: { bars } }, op: '>', rhs: 1 });

function nest(depth: number, wrap: (inner: unknown) => unknown, leaf: unknown): unknown {
  let x = leaf;
  for (let i = 0; i < depth; i++) x = wrap(x);
  return x;
}

function withDoc(edit: (d: Json & { settings: Json; parameters: Json; strategies: Json[] }) => void): string {
  const d = baseDoc() as Json & { settings: Json; parameters: Json; strategies: Json[] };
  edit(d);
  return JSON.stringify(d);
}

const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable',
  'toLocaleString', '__defineGetter__', '__lookupSetter__'];

export function hostileCases(): HostileCase[] {
  const out: HostileCase[] = [];
  const add = (name: string, json: string, refuse: RegExp | false) => out.push({ name, json, refuse });

  // 5. Deep nesting: all/any/not/math/atLeast chains far past the depth cap, and a few just inside it.
  // Built as text: JSON.stringify itself overflows the stack on the deepest ones.
  const leaf = JSON.stringify(cmp());
  const deep = (open: string, close: string, depth: number, inner = leaf) => open.repeat(depth) + inner + close.repeat(depth);
  const at = (path: 'condition' | 'lhs', text: string) => withDoc((d) => {
    d.strategies[0]!.condition = path === 'condition' ? '@@' : { lhs: '@@', op: '>', rhs: 0 };
  }).replace('"@@"', text);
  for (const depth of [40, 100, 1000, 5000, 20_000]) {
    add(`all ${depth} deep`, at('condition', deep('{"all":[', ']}', depth)), /^strategies\[0\]\.condition/);
    add(`any ${depth} deep`, at('condition', deep('{"any":[', `,${leaf}]}`, depth)), /^strategies\[0\]\.condition/);
    add(`not ${depth} deep`, at('condition', deep('{"not":', '}', depth)), depth < 60 ? false : /^strategies\[0\]\.condition/);
    add(`math ${depth} deep`, at('lhs', deep('{"kind":"math","op":"+","args":[', ',1]}', depth, '1')), /^strategies\[0\]\.condition\.lhs/);
    add(`atLeast ${depth} deep`, at('condition', deep('{"atLeast":1,"of":[', ']}', depth)), /^strategies\[0\]\.condition/);
  }
  add('all 25 deep (allowed)', withDoc((d) => { d.strategies[0]!.condition = nest(25, (c) => ({ all: [c] }), cmp()); }), false);
  add('math 25 deep (allowed)', withDoc((d) => {
    d.strategies[0]!.condition = { lhs: nest(25, (e) => ({ kind: 'math', op: '+', args: [e, 1] }), { kind: 'price', field: 'close' }), op: '>', rhs: 0 };
  }), false);
  add('array 100000 deep at the root', '['.repeat(100_000) + ']'.repeat(100_000), /^\(document\)|^\[/);
  add('object 3000 deep in description', withDoc((d) => { d.description = '@@'; }).replace('"@@"', deep('{"x":', '}', 3000, '1')), /^description/);

  // 6. Parameter names inherited from Object.prototype, in every place a $param may stand.
  for (const p of PROTO_NAMES) {
    add(`$param ${p} as a weight`, withDoc((d) => { d.strategies[0]!.action = { type: 'setWeight', weight: { $param: p } }; }), /^strategies\[0\]\.action\.weight/);
    add(`$param ${p} as a window`, withDoc((d) => { d.strategies[0]!.condition = cmp({ $param: p }); }), /^strategies\[0\]\.condition\.lhs\.window\.bars/);
    add(`$param ${p} as a constant`, withDoc((d) => { d.strategies[0]!.condition = { lhs: { $param: p }, op: '>', rhs: 1 }; }), /^strategies\[0\]\.condition\.lhs/);
  }
  // One __proto__ rule everywhere: as a key at any depth.
  for (const [where, json] of [
    ['root', '{"__proto__": {"polluted": 1}, ' + withDoc(() => undefined).slice(1)],
    ['settings', withDoc(() => undefined).replace('"settings":{', '"settings":{"__proto__":{"initialCash":1},')],
    ['parameters', withDoc(() => undefined).replace('"parameters":{', '"parameters":{"__proto__":{"default":1},')],
    ['strategy', withDoc(() => undefined).replace('"id":"a"', '"__proto__":{"x":1},"id":"a"')],
    ['condition', withDoc(() => undefined).replace('"condition":{', '"condition":{"__proto__":{"all":[]},')],
    ['window', withDoc(() => undefined).replace('"window":{', '"window":{"__proto__":{"bars":2},')],
    ['action', withDoc(() => undefined).replace('"action":{', '"action":{"__proto__":null,')],
  ] as const) add(`__proto__ key in ${where}`, json, /__proto__/);

  // 9. Values validate must bound: windows, parameters, steps, dates, zones, money.
  for (const bars of [0, -1, 1.5, 2 ** 31, 1e308, 1_000_001, '20', null, true, [], {}]) {
    add(`window bars ${JSON.stringify(bars)}`, withDoc((d) => { d.strategies[0]!.condition = cmp(bars); }), /^strategies\[0\]\.condition\.lhs\.window/);
  }
  add('window bars 1000000 (allowed)', withDoc((d) => { d.strategies[0]!.condition = cmp(1_000_000); }), false);
  for (const dur of ['0d', '-1d', '1e9w', '99999999w', '5219w', 'NaNd', '1y', '', '1 d', '1.5.5d']) {
    add(`duration ${dur}`, withDoc((d) => { d.strategies[0]!.condition = { lhs: { kind: 'sma', window: { duration: dur } }, op: '>', rhs: 1 }; }), /window\.duration/);
  }
  for (const def of [1e308, 0, -3, 2.5, 2 ** 31, 1e16]) {
    add(`window parameter default ${def}`, withDoc((d) => { d.parameters = { fast: { default: def } }; }), /^parameters\.fast\.default/);
  }
  for (const [field, v] of [['min', 0], ['max', 1e9], ['step', 0.5], ['values', [3, 0]], ['values', [3, 2 ** 40]]] as const) {
    add(`window parameter ${field} ${JSON.stringify(v)}`, withDoc((d) => {
      d.parameters = { fast: { default: 3, ...(field === 'values' ? { values: v } : field === 'step' ? { min: 2, max: 20, step: v } : { [field]: v }) } };
    }), new RegExp(`^parameters\\.fast\\.${field}`));
  }
  for (const step of [1e-6, 1e-12, 5e-324, 0, -1]) {
    add(`optimize step ${step}`, withDoc((d) => { d.parameters = { fast: { default: 5, min: 2, max: 20, step } }; }), /^parameters\.fast\.step/);
  }
  add('optimize step 1e-6 on a threshold', withDoc((d) => {
    d.parameters = { ...d.parameters, th: { default: 1, min: 0, max: 2, step: 1e-6 } };
    d.strategies[0]!.condition = { lhs: { kind: 'price', field: 'close' }, op: '>', rhs: { $param: 'th' } };
  }), /^parameters\.th\.step/);
  add('20001 parameter values', withDoc((d) => { d.parameters = { ...d.parameters, th: { default: 1, values: Array.from({ length: 20_001 }, (_, i) => i) } }; }), /^parameters\.th\.values/);
  for (const def of [1e308, -1e308, 1e16]) add(`parameter default ${def}`, withDoc((d) => { d.parameters = { ...d.parameters, th: { default: def } }; }), /^parameters\.th\.default/);
  for (const tz of ['Mars/Olympus', '', 'UTC+5', '../../etc/passwd', 'x'.repeat(5000), 'America/New York']) {
    add(`time zone ${tz.slice(0, 30)}`, withDoc((d) => { d.settings.timezone = tz; }), /^settings\.timezone/);
  }
  add('time zone Asia/Kolkata (allowed)', withDoc((d) => { d.settings.timezone = 'Asia/Kolkata'; }), false);
  for (const date of ['2010-13-45', '2011-02-29', '2010-00-10', '2010-01-32', '0000-01-01', '9999-12-31', '1799-12-31', '2010-01-01T25:00', '2010-01-01T10:61', '2010-1-1', '20100101', 'yesterday']) {
    add(`range from ${date}`, withDoc((d) => { d.settings.range = { from: date }; }), /^settings\.range\.from/);
  }
  add('range from after to', withDoc((d) => { d.settings.range = { from: '2015-01-01', to: '2010-01-01' }; }), /^settings\.range\.to/);
  add('range 2012-02-29 (allowed)', withDoc((d) => { d.settings.range = { from: '2012-02-29' }; }), false);
  for (const cash of [1e308, 1e13, 0, -1, '1000', null]) {
    add(`initialCash ${JSON.stringify(cash)}`, withDoc((d) => { d.settings.initialCash = cash; }), /^settings\.initialCash/);
  }
  for (const [k, v] of [['perShare', 1e308], ['perOrder', 1e300], ['minimum', 1e20], ['fraction', 2]] as const) {
    add(`fees.${k} ${v}`, withDoc((d) => { d.settings.fees = { [k]: v }; }), new RegExp(`^settings\\.fees\\.${k}`));
  }
  add('slippage.fixed 1e308', withDoc((d) => { d.settings.slippage = { fixed: 1e308 }; }), /^settings\.slippage\.fixed/);

  // 3. Size caps: refused with a reason, not a freeze; 5,000 conditions stay accepted.
  // Never true (no SMA reaches 1e9), so the run measures evaluation, not 5,000-node audit trees per bar.
  const many = (n: number) => withDoc((d) => {
    d.strategies[0]!.condition = { all: Array.from({ length: n }, (_, i) => ({ ...cmp((i % 50) + 1), rhs: 1e9 })) };
  });
  add('all of 5000 conditions (allowed)', many(5000), false);
  add('all of 20000 conditions', many(20_000), /^\(document\)/);
  add('2 MB name', withDoc((d) => { d.name = 'x'.repeat(2 << 20); }), /^\(document\)/);
  add('universe of 120000 symbols', withDoc((d) => { d.settings.universe = Array.from({ length: 120_000 }, (_, i) => `S${i}`); }), /^\(document\)/);
  add('40000 strategies', withDoc((d) => { d.strategies = Array.from({ length: 40_000 }, (_, i) => ({ id: `s${i}`, name: 's', action: { type: 'closeAll' } })); }), /^\(document\)/);

  // Wrong shapes and types anywhere.
  const junk: unknown[] = [null, true, 0, -1, 'x', [], {}, [null], { kind: 'nope' }, 1e308];
  junk.forEach((j, i) => {
    add(`condition junk ${i}`, withDoc((d) => { d.strategies[0]!.condition = j; }), /^strategies\[0\]\.condition/);
    add(`action junk ${i}`, withDoc((d) => { d.strategies[0]!.action = j; }), /^strategies\[0\]\.action/);
    add(`settings junk ${i}`, withDoc((d) => { d.settings = j as Json; }), /^settings/);
  });
  for (const v of [0, 2, 1.5, -1, '1', null, 1e308]) add(`version ${JSON.stringify(v)}`, withDoc((d) => { d.version = v; }), /^version/);
  for (const doc of ['null', '[]', '"doc"', '42', 'true', '{}']) add(`document ${doc}`, doc, /./);
  add('unknown settings key', withDoc((d) => { d.settings.evil = 'x'; }), /^settings/);
  add('unknown strategy key', withDoc((d) => { d.strategies[0]!.run = 'fetch("//evil")'; }), /^strategies\[0\]/);
  add('symbol $evil', withDoc((d) => { d.settings.universe = ['$evil']; }), /^settings\.universe\[0\]/);
  add('unknown asset', withDoc((d) => { d.strategies[0]!.condition = { lhs: { kind: 'price', asset: 'ZZZ', field: 'close' }, op: '>', rhs: 1 }; }), /asset$/);
  add('math with 1 operand', withDoc((d) => { d.strategies[0]!.condition = { lhs: { kind: 'math', op: '+', args: [1] }, op: '>', rhs: 1 }; }), /args/);
  add('empty strategies', withDoc((d) => { d.strategies = []; }), /^strategies/);
  add('duplicate ids', withDoc((d) => { d.strategies = [d.strategies[0]!, d.strategies[0]!]; }), /^strategies\[1\]\.id/);
  return out;
}
