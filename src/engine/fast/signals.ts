import type { Condition, Expr } from '../../schema/index.ts';
import { nodeKey, type EvalContext, type Plan, type PlanStrategy } from '../../strategy/index.ts';
import type { SlotSource } from './columns.ts';
import { stepsOfAssets, type Timeline } from './timeline.ts';
import { signalLoops } from './counters.ts';
import { conjuncts, gateConjunct } from './position-gate.ts';
import { BlockDriver, type IndicatorBlock } from './blocks.ts';
import type { TransientColumns } from './transient.ts';

/** The fast path cannot take this document; the reference kernel runs it and the result says why. */
export class Unsupported extends Error {
  override name = 'Unsupported';
}

/**
 * "May fire" code of one strategy over data-only values, in three-valued (Kleene) logic:
 * 0 = false whatever the portfolio, 1 = depends on the portfolio, 2 = true. all = min, any = max, not = 2 − x.
 * Comparisons of data-only operands are computed exactly as the generated condition does (same expression
 * code, same crossing memory layout and DFS numbering), so 0 is exact: the strategy cannot fire there.
 * The code reads `v` (slots) and `m` (crossing memory) and leaves its verdict in `may`.
 */
export interface StrategyPass {
  readonly strategy: PlanStrategy;
  readonly code: string;
  /** Data-only slots the evaluator reads. */
  readonly slots: readonly number[];
  readonly crossings: number;
  /** Reads how long ago a strategy signalled: only a kernel step can say (it counts steps and signals). */
  readonly needsKernel: boolean;
  /** Reads no portfolio value: its may-fire code is exact (0 or 2), so every candidate event fires. */
  readonly dataOnly: boolean;
  /** The slots it reads that no data column holds (portfolio inputs, the time since a signal): what the walk writes to decide it. */
  readonly portfolioSlots: readonly number[];
  /**
   * Its condition reads the portfolio only through its position gate (position-gate.ts: a top-level conjunct
   * comparing one position's quantity with a number); every other conjunct reads data only. Its may-fire
   * code then gives 1 exactly where those are all true, so at a candidate event the condition is the gate:
   * the walk decides it from the quantity alone, and its events need no recorded values.
   */
  readonly gateOnly: boolean;
}

function num(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return x < 0 || Object.is(x, -0) ? `(${String(x)})` : String(x);
}

const COMPARE = new Set(['>', '>=', '<', '<=', '=', '!=', 'crossesAbove', 'crossesBelow']);

class TriGen {
  readonly lines: string[] = [];
  readonly slots = new Set<number>();
  readonly statefulSlots = new Set<number>();
  private compares = 0;
  crossings = 0;
  private temps = 0;

  constructor(private readonly plan: Plan, private readonly ctx: EvalContext, private readonly data: ReadonlyMap<number, SlotSource>) {}

  /** JS for an expression (as compile.ts writes it) and whether it reads the portfolio. */
  private expr(e: Expr): { code: string; stateful: boolean } {
    if (typeof e === 'number') return { code: num(e), stateful: false };
    if (typeof e !== 'object' || e === null || !('kind' in e)) throw new Unsupported('an unsubstituted parameter');
    if (e.kind === 'math') {
      const parts = e.args.map((a) => this.expr(a));
      return { code: `(${parts.map((p) => p.code).join(` ${e.op} `)})`, stateful: parts.some((p) => p.stateful) };
    }
    const slot = this.plan.slotOf.get(nodeKey(this.plan.assets, e, this.ctx));
    if (slot === undefined) throw new Unsupported(`an operand without a slot (${e.kind})`);
    const stateful = !this.data.has(slot);
    (stateful ? this.statefulSlots : this.slots).add(slot);
    return { code: `v[${slot}]`, stateful };
  }

  cond(c: Condition): string {
    if ('lhs' in c) {
      if (!COMPARE.has(c.op)) throw new Unsupported(`the comparator "${c.op}"`);
      const k = this.compares++;
      const crossing = c.op === 'crossesAbove' || c.op === 'crossesBelow';
      const m = crossing ? 4 * this.crossings++ : -1;
      const l = this.expr(c.lhs), r = this.expr(c.rhs);
      if (l.stateful || r.stateful) {
        // A crossing remembers its operands at every evaluation: with a portfolio operand that memory would
        // need the walk to visit every trigger step, which is the reference's job.
        if (crossing) throw new Unsupported('a crossing of a portfolio value (cash, equity, position, …)');
        return '1';
      }
      this.lines.push(`const l${k} = ${l.code}, r${k} = ${r.code};`);
      const L = `l${k}`, R = `r${k}`;
      let test: string;
      switch (c.op) {
        case '=': test = `${L} === ${R}`; break;
        // Conjunctions of comparisons as `&` of their 0/1 values, not `&&`: the pass then has one branch per
        // test, on its result, instead of one on each comparison (the first side of a crossing, "was below",
        // holds about half the time and in no pattern: W1's loop alone over 3,780 bars went from 16–18 to
        // 12.5 µs a call). Comparisons of locals have no effects to short-circuit, so the value is the same.
        case '!=': test = `(${L} === ${L}) & (${R} === ${R}) & (${L} !== ${R})`; break;
        case 'crossesAbove': case 'crossesBelow':
          this.lines.push(`m[${m}] = m[${m + 2}]; m[${m + 1}] = m[${m + 3}]; m[${m + 2}] = ${L}; m[${m + 3}] = ${R};`);
          test = c.op === 'crossesAbove' ? `(m[${m}] <= m[${m + 1}]) & (${L} > ${R})` : `(m[${m}] >= m[${m + 1}]) & (${L} < ${R})`;
          break;
        default: test = `${L} ${c.op} ${R}`;
      }
      this.lines.push(`const c${k} = (${test}) ? 2 : 0;`);
      return `c${k}`;
    }
    if ('all' in c) return this.temp(`Math.min(${c.all.map((x) => this.cond(x)).join(', ')})`);
    if ('any' in c) return this.temp(`Math.max(${c.any.map((x) => this.cond(x)).join(', ')})`);
    if ('not' in c) return this.temp(`2 - ${this.cond(c.not)}`);
    if ('atLeast' in c || 'atMost' in c) {
      const xs = c.of.map((x) => this.cond(x));
      const t = this.temp(`${xs.map((x) => `(${x} === 2 ? 1 : 0)`).join(' + ')}`);
      const tu = this.temp(`${xs.map((x) => `(${x} >= 1 ? 1 : 0)`).join(' + ')}`);
      if ('atLeast' in c) {
        const k = num(c.atLeast as number);
        return this.temp(`${t} >= ${k} ? 2 : ${tu} < ${k} ? 0 : 1`);
      }
      const k = num(c.atMost as number);
      return this.temp(`${tu} <= ${k} ? 2 : ${t} > ${k} ? 0 : 1`);
    }
    throw new Unsupported('a condition node the fast path does not know');
  }

  private temp(code: string): string {
    const name = `t${this.temps++}`;
    this.lines.push(`const ${name} = ${code};`);
    return name;
  }
}

/** TriGen's output for one condition: its may-fire code, the data slots and other slots it reads, its crossings. */
interface PassCode {
  code: string;
  slots: readonly number[];
  stateful: readonly number[];
  crossings: number;
}

/**
 * PassCode by the compiled condition's source and the slots data hold (`dataKey`). The source names every
 * slot, constant, comparator and node of the tree, and TriGen reads nothing else of the plan but whether data
 * hold a slot, so equal keys give equal code: a sweep's candidates (windows changed, same slots) generate it
 * once. Bounded: cleared when it grows past the cap.
 */
const passCodes = new Map<string, PassCode>();
const PASS_CODES_MAX = 1024;

/** The key of `data`'s slots for strategyPass (one per run). */
export function dataKeyOf(data: ReadonlyMap<number, SlotSource>): string {
  let k = '';
  for (const slot of data.keys()) k += `${slot},`;
  return k;
}

export function strategyPass(plan: Plan, s: PlanStrategy, data: ReadonlyMap<number, SlotSource>, dataKey = dataKeyOf(data)): StrategyPass {
  const key = `${dataKey}\u0000${s.condition.source}`;
  let pc = passCodes.get(key);
  if (pc === undefined) {
    const gen = new TriGen(plan, s.condition.ctx, data);
    const root = s.condition.tree ? gen.cond(s.condition.tree) : '2';
    if (4 * gen.crossings !== s.condition.memSize) throw new Unsupported('a crossing layout that differs from the compiled condition');
    pc = { code: `${gen.lines.join('\n')}\nmay = ${root};`, slots: [...gen.slots], stateful: [...gen.statefulSlots], crossings: gen.crossings };
    if (passCodes.size >= PASS_CODES_MAX) passCodes.clear();
    passCodes.set(key, pc);
  }
  let needsKernel = false;
  for (const i of plan.inputs) if (i.kind === 'sinceSignal' && pc.stateful.includes(i.slot)) needsKernel = true;
  const dataOnly = pc.stateful.length === 0;
  return { strategy: s, code: pc.code, slots: pc.slots, crossings: pc.crossings, needsKernel, dataOnly, portfolioSlots: pc.stateful, gateOnly: !dataOnly && decidedByGate(plan, s, data) };
}

/** See StrategyPass.gateOnly. */
function decidedByGate(plan: Plan, s: PlanStrategy, data: ReadonlyMap<number, SlotSource>): boolean {
  const gate = gateConjunct(plan, s);
  if (gate < 0) return false;
  return conjuncts(s).every((c, k) => {
    if (k === gate) return true;
    const gen = new TriGen(plan, s.condition.ctx, data);
    gen.cond(c);
    return gen.statefulSlots.size === 0;
  });
}

/**
 * A strategy's candidate events: the steps (at or after the first tradable step) where it may fire, and
 * for each the crossing memory it had before that evaluation (2 numbers per crossing), so the walk can
 * evaluate the real condition there as if it had seen every step.
 */
export class Events {
  steps: Int32Array = new Int32Array(64);
  memory: Float64Array;
  /**
   * Per event, `width` slot values as the pass read them: the transient indicator slots (transient.ts) of a
   * strategy that reads the portfolio, which the walk decides on these instead of a column nobody kept.
   */
  values: Float64Array = new Float64Array(0);
  width = 0;
  count = 0;
  constructor(public crossings: number) {
    this.memory = new Float64Array(64 * 2 * crossings);
  }

  /** push, with the event's slot values (`width` of them, from x). */
  pushWith(step: number, m: Float64Array, x: Float64Array): void {
    const w = this.width, base = this.count * w;
    if (base + w > this.values.length) {
      const vv = new Float64Array(Math.max(2 * this.values.length, base + w, 64 * w)); vv.set(this.values.subarray(0, base)); this.values = vv;
    }
    for (let j = 0; j < w; j++) this.values[base + j] = x[j]!;
    this.push(step, m);
  }

  push(step: number, m: Float64Array): void {
    if (this.count === this.steps.length) {
      const s = new Int32Array(this.count * 2); s.set(this.steps); this.steps = s;
    }
    const base = this.count * 2 * this.crossings;
    // The memory grows on its own: a reused list keeps the step capacity of a strategy with many events and
    // no crossing (W2's RSI entries), which sized for crossings would be megabytes never written.
    if (base + 2 * this.crossings > this.memory.length) {
      const mm = new Float64Array(Math.max(2 * this.memory.length, base + 2 * this.crossings, 128)); mm.set(this.memory.subarray(0, base)); this.memory = mm;
    }
    // After the evaluation m[4k], m[4k+1] hold what m[4k+2], m[4k+3] held before it.
    for (let k = 0; k < this.crossings; k++) {
      this.memory[base + 2 * k] = m[4 * k]!;
      this.memory[base + 2 * k + 1] = m[4 * k + 1]!;
    }
    this.steps[this.count++] = step;
  }

  /** Empty again, for a strategy with `crossings` crossings; both arrays keep their capacity. */
  reuse(crossings: number): void {
    this.count = 0;
    this.crossings = crossings;
    this.width = 0;
  }

  /** The events as fresh arrays of their exact length (they leave this thread: a SignalShare). */
  toData(): EventsData {
    const n = this.count;
    return {
      count: n, crossings: this.crossings, width: this.width, steps: this.steps.slice(0, n),
      memory: this.memory.slice(0, n * 2 * this.crossings), values: this.values.slice(0, n * this.width),
    };
  }

  /** Takes another thread's events for this strategy (the arrays are adopted, not copied). */
  load(d: EventsData): void {
    this.count = d.count;
    this.crossings = d.crossings;
    this.width = d.width;
    if (d.steps.length > 0) this.steps = d.steps;
    if (d.memory.length > 0) this.memory = d.memory;
    if (d.values.length > 0) this.values = d.values;
  }
}

/** One strategy's Events as plain arrays. */
export interface EventsData {
  readonly count: number;
  readonly crossings: number;
  readonly width: number;
  readonly steps: Int32Array;
  readonly memory: Float64Array;
  readonly values: Float64Array;
}

/**
 * Part `part` of `parts` of a run's signal pass, computed on another thread of the pool: the events of the
 * strategies in its groups (round robin over the pass's signal groups, which every thread forms the same way
 * from the same plan), and per plan indicator the first row from which it has a value where this part
 * computed it (−1: not computed here, or computed with gaps; the run then finds out itself).
 */
export interface SignalShare {
  readonly part: number;
  readonly parts: number;
  readonly strategies: Int32Array;
  readonly events: readonly EventsData[];
  readonly ready: Int32Array;
}

/** Which signal groups a pass computes: all, one part of them (a share), or all but those given. */
export type PassScope = { readonly part: number; readonly parts: number } | { readonly given: ReadonlyMap<number, EventsData> };

/**
 * Event lists kept for the next run on this thread (a sweep's candidates run one after another): fresh
 * ones were 4+ typed arrays per run plus their doublings, and in Chromium every fresh ArrayBuffer of a few
 * KB costs tens of µs. Results never reference them; a run started while another holds some makes its own.
 */
const spareEvents: Events[] = [];
const MAX_SPARE_EVENTS = 64;

function acquireEvents(crossings: number): Events {
  const e = spareEvents.pop();
  if (e === undefined) return new Events(crossings);
  e.reuse(crossings);
  return e;
}

/**
 * Drops the event lists kept for the next run. Tests call it between computing a run's shares and running
 * it, as a run on another thread would be: the lists it reuses then hold nothing of the shares' pass.
 */
export function dropSpareEvents(): void {
  spareEvents.length = 0;
}

/** Hands a finished run's event lists back (the walk is done with them; they must not be read again). */
export function releaseEvents(events: readonly Events[]): void {
  // In reverse: acquireEvents pops from the end, so the next run of the same document gives each strategy
  // its own list back, already grown to its size (in order, W2's lists swapped sizes and regrew every run).
  for (let i = events.length - 1; i >= 0; i--) if (spareEvents.length < MAX_SPARE_EVENTS) spareEvents.push(events[i]!);
}

type GroupPass = (
  steps: Int32Array | null, total: number, firstStep: number, stepOfs: readonly Int32Array[], counts: Int32Array,
  barCols: readonly Float64Array[], stepCols: readonly Float64Array[], mems: readonly Float64Array[], evs: readonly Events[],
  xs: readonly Float64Array[], blocks: BlockDriver | null,
) => void;

/** Generated group passes by groupKey (the inputs of groupSource): a sweep's candidates share one. */
const generated = new Map<string, GroupPass>();

/**
 * One group's inputs with names local to the group, by position: its assets (a0, a1, …: sparse ones get a
 * cursor), its data slots (v0, v1, …: bar slots first, then step slots) and its members' code written with
 * those names. Groups that differ only in which assets and slots they read (W2: the same four strategies on
 * each of 7 assets) then have the same source and share one generated loop, which V8 warms up once.
 */
interface GroupShape {
  /** Per local asset: 1 when it has a bar at every step (no cursor). */
  dense: readonly number[];
  /** Per bar slot (v0 …): its local asset. */
  barAssets: readonly number[];
  /** Per bar slot: 1 when it reads a block (blocks.ts: bar i at i − its offset), 0 for a whole column. */
  blocked: readonly number[];
  stepSlots: number;
  /** Per member: its code, crossings and the local bar slots whose values its events record (Events.values). */
  members: readonly { code: string; crossings: number; record: readonly number[] }[];
}

function groupShape(
  members: readonly StrategyPass[], assets: readonly number[], barSlots: readonly { slot: number; asset: number }[], stepSlots: readonly number[],
  dense: Uint8Array, records: readonly (readonly number[])[], blocked: readonly number[],
): GroupShape {
  const local = new Map<number, number>();
  barSlots.forEach((b, q) => local.set(b.slot, q));
  stepSlots.forEach((slot, q) => local.set(slot, barSlots.length + q));
  return {
    dense: assets.map((a) => dense[a]!),
    barAssets: barSlots.map((b) => assets.indexOf(b.asset)),
    blocked,
    stepSlots: stepSlots.length,
    members: members.map((p, q) => ({
      code: p.code.replace(/\bv\[(\d+)\]/g, (_, slot: string) => `v${local.get(Number(slot))!}`), crossings: p.crossings,
      record: records[q]!.map((slot) => local.get(slot)!),
    })),
  };
}

/**
 * Everything groupSource reads, in a string that is cheaper to build and to hash than the source itself
 * (on W1 the source cost 7.6 µs of a 230 µs candidate); each code is length-prefixed, so no two inputs meet.
 */
function groupKey(g: GroupShape): string {
  let k = '';
  for (const d of g.dense) k += d ? 'd' : 's';
  k += '|';
  for (const a of g.barAssets) k += `${a},`;
  k += '|';
  for (const b of g.blocked) k += b ? 'b' : 'c';
  k += `|${g.stepSlots}`;
  for (const p of g.members) k += `|${p.crossings}:${p.record.join(',')}:${p.code.length}:${p.code}`;
  return k;
}

/** Steps per call of a group's generated loop (see groupSource). */
const CHUNK = 4096;

/**
 * Empty calls (no step) made before a new group's first call, so that V8 has the loop's type feedback for the
 * code after it (the crossing memory and cursors written back) before it compiles the function. Without them
 * it compiled during the first call, which runs the whole range and reaches that code only at its end: the
 * compiled code deoptimised on its first return, for lack of feedback there, and every later call ran V8's
 * on-stack-replacement code, which boxed two values a step (31 MB in a W3 candidate with a new column cache).
 * A feedback vector comes after about eight calls' worth of the function's bytecode; 32 leave a margin.
 * They write the state back unchanged (the loop reads it into locals and stores the same values).
 */
const PRIME_CALLS = 32;

/**
 * The source of one group's pass: per trigger step, advance the cursors of the assets its slots read, load
 * those slots, run every member's may-fire code inline (no call, no closure), and note candidate events.
 *
 * The loop is a function of its own: the first call runs it over the whole run, later calls CHUNK steps at a
 * time, its state (crossing memory, cursors) handed from call to call in two small arrays. Called once over
 * a whole run, V8 enters the loop by on-stack replacement (OSR), and once the function's own optimised code
 * was dropped (deoptimised at its entry, where the first call had left no type feedback, or for a map it
 * depended on) every later call ran the slower OSR code: W3's pass over 1 M steps was 3.7–5.2× a bare loop
 * over the same columns in 5 of 11 processes measured, 1.7–2.3× in the others; in chunks, 1.7–2.2× in all
 * 11. The first call stays whole because chunking it made W2's first run in a new Chromium worker slower
 * (4.66–5.55 s against 4.15–4.56 s in three alternating pairs; warm-up call by call, presumably). A group whose
 * transient indicators are computed in blocks (blocks.ts) calls it once per block, its offsets (bo) in hand.
 */
function groupSource(g: GroupShape): string {
  // The loop's parameters after (st, cs, bo, from, to), and what signalGroup passes for them.
  const params = ['steps', 'firstStep'], args = ['steps', 'firstStep'];
  const load: string[] = [], save: string[] = [];
  let at = 0, cursors = 0;
  // Slots and crossing memory live in locals (v<local slot>, m<member>_<index>) rather than typed arrays: the loop
  // then stores nothing per step; the memory goes to the member's array only when an event is noted.
  g.members.forEach((p, q) => {
    for (let i = 0; i < 4 * p.crossings; i++, at++) {
      load.push(`let m${q}_${i} = st[${at}];`);
      save.push(`st[${at}] = m${q}_${i};`);
    }
  });
  // An asset with a bar at every step needs no cursor: its bar at step s is bar s.
  g.dense.forEach((d, a) => {
    if (d) return;
    params.push(`so${a}`, `cnt${a}`);
    args.push(`stepOfs[${a}]`, `counts[${a}]`);
    load.push(`let cur${a} = cs[${cursors}];`);
    save.push(`cs[${cursors}] = cur${a};`);
    cursors++;
  });
  g.barAssets.forEach((_, q) => { params.push(`bc${q}`); args.push(`barCols[${q}]`); });
  for (let q = 0; q < g.stepSlots; q++) { params.push(`sc${q}`); args.push(`stepCols[${q}]`); }
  g.members.forEach((p, q) => {
    params.push(`m${q}`, `ev${q}`);
    args.push(`mems[${q}]`, `evs[${q}]`);
    if (p.record.length > 0) { params.push(`x${q}`); args.push(`xs[${q}]`); }
  });
  // A block's offset is read once per call (a call covers one block).
  g.blocked.forEach((b, q) => { if (b) load.push(`const bo${q} = bo[${q}];`); });
  const out = [...load];
  // NaN read once per call: a global `NaN` only on the side of `cur >= 0 ? … : NaN` that runs before an
  // asset's first bar had no feedback when V8 compiled the loop, so it stayed a generic load and every value
  // read went through a heap number (three a step in W2 on irregular data, 330 MB a run).
  if (g.dense.some((d) => !d)) out.push('const NAN = NaN;');
  out.push('let may = 0;');
  out.push('for (let j = from; j < to; j++) {');
  out.push('const s = steps === null ? j : steps[j];');
  g.dense.forEach((d, a) => { if (!d) out.push(`while (cur${a} + 1 < cnt${a} && so${a}[cur${a} + 1] <= s) cur${a}++;`); });
  g.barAssets.forEach((a, q) => {
    const at = g.dense[a] ? 's' : `cur${a}`, index = g.blocked[q] ? `${at} - bo${q}` : at;
    out.push(g.dense[a] ? `const v${q} = bc${q}[${index}];` : `const v${q} = cur${a} >= 0 ? bc${q}[${index}] : NAN;`);
  });
  for (let q = 0; q < g.stepSlots; q++) out.push(`const v${g.barAssets.length + q} = sc${q}[s];`);
  g.members.forEach((p, q) => {
    const code = p.code.replace(/\bm\[(\d+)\]/g, `m${q}_$1`);
    const keep = Array.from({ length: p.crossings }, (_, k) => `m${q}[${4 * k}] = m${q}_${4 * k}; m${q}[${4 * k + 1}] = m${q}_${4 * k + 1};`).join(' ');
    const push = p.record.length === 0 ? `ev${q}.push(s, m${q});` : `${p.record.map((v, j) => `x${q}[${j}] = v${v};`).join(' ')} ev${q}.pushWith(s, m${q}, x${q});`;
    out.push(`{\n${code}\nif (may !== 0 && s >= firstStep) { ${keep} ${push} } }`);
  });
  out.push('}');
  out.push(...save);
  // Named, so profiles and V8's optimization traces show the generated functions as signalLoop and signalGroup.
  const rest = args.join(', ');
  return [
    `const loop = function signalLoop(st, cs, bo, from, to, ${params.join(', ')}) {`, ...out, '};',
    'let calls = 0;',
    'return function signalGroup(steps, total, firstStep, stepOfs, counts, barCols, stepCols, mems, evs, xs, blocks) {',
    `const st = new Float64Array(${at}).fill(NaN), cs = new Int32Array(${cursors}).fill(-1);`,
    'if (blocks !== null) for (let from = 0, to = 0; from < total; from = to) {',
    'to = blocks.next(from);',
    `loop(st, cs, blocks.offsets, from, to, ${rest});`,
    '}',
    `else if (calls++ === 0) { for (let k = 0; k < ${PRIME_CALLS}; k++) loop(st, cs, null, 0, 0, ${rest}); loop(st, cs, null, 0, total, ${rest}); }`,
    `else for (let from = 0; from < total; from += ${CHUNK}) loop(st, cs, null, from, Math.min(total, from + ${CHUNK}), ${rest});`,
    '};',
  ].join('\n');
}

/**
 * The slots whose values strategy pass `p`'s events record: the transient ones (no column is kept for the
 * walk to read) of a strategy the walk decides; in p.slots order, which SlotView reads them back in.
 */
export function recordedSlots(p: StrategyPass, data: ReadonlyMap<number, SlotSource>, transient: boolean): readonly number[] {
  if (p.dataOnly || p.gateOnly || !transient) return NONE;
  return p.slots.filter((slot) => data.get(slot)?.kind === 'transient');
}

/** What a member without recorded values gets (a sweep's candidate allocates nothing for them). */
const NONE: readonly number[] = [];
const NO_VALUES = new Float64Array(0);

/** The pass's signal groups (strategies triggered by the same assets), in order of their first member. */
export function groupsOf(passes: readonly StrategyPass[]): number[][] {
  const groups = new Map<string, number[]>();
  passes.forEach((p, i) => {
    const key = p.strategy.triggers.join(',');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()];
}

/**
 * The fused signal pass: strategies with the same trigger assets share one generated loop over their
 * trigger steps (see groupSource). No per-step object, no portfolio. Transient indicators' columns are
 * computed for the group that reads them and released after it (a second group reading one computes it again).
 * `scope` limits it to one part of the groups (a SignalShare) or takes other threads' events for some;
 * `check` (throws to cancel) runs before each group.
 */
export function signalPass(
  passes: readonly StrategyPass[], tl: Timeline, data: ReadonlyMap<number, SlotSource>, firstStep: number,
  transient: TransientColumns | null = null,
  scope: PassScope | null = null,
  check: (() => void) | null = null,
): Events[] {
  const events = passes.map((p) => acquireEvents(p.crossings));
  for (const [g, members] of groupsOf(passes).entries()) {
    if (scope !== null && 'part' in scope && g % scope.parts !== scope.part) continue;
    // Between groups (each computes its columns and loops over every step: W2's pass is 8 of them), a cancel may
    // stop the pass; it throws, and the lists taken so far are dropped with the run.
    check?.();
    // Another thread's events for the whole group, made as this pass would make them (same crossings, same
    // recorded slots: a thread holding a column this one computes in scratch records differently): taken.
    if (scope !== null && 'given' in scope && members.every((i) => {
      const d = scope.given.get(i);
      return d !== undefined && d.crossings === passes[i]!.crossings && d.width === recordedSlots(passes[i]!, data, transient !== null).length;
    })) {
      for (const i of members) events[i]!.load(scope.given.get(i)!);
      continue;
    }
    const triggers = passes[members[0]!]!.strategy.triggers;
    const steps = triggers.length === 0 ? null : stepsOfAssets(tl, triggers);
    const slotSet = new Set<number>();
    for (const i of members) for (const s of passes[i]!.slots) slotSet.add(s);
    const barSlots: { slot: number; asset: number }[] = [], barCols: Float64Array[] = [];
    const stepSlots: number[] = [], stepCols: Float64Array[] = [];
    // Transient indicators with a range kernel are computed a block at a time as the loop goes (blocks.ts).
    const blocks: IndicatorBlock[] = [], blockIndicator: number[] = [], blockAsset: number[] = [], slotBlock: number[] = [];
    for (const slot of [...slotSet].sort((x, y) => x - y)) {
      const src = data.get(slot)!;
      if (src.kind === 'bar') {
        barSlots.push({ slot, asset: src.asset });
        barCols.push(src.column);
        slotBlock.push(-1);
      } else if (src.kind === 'transient') {
        if (transient === null) throw new Error(`slot ${slot} is transient, but the run has no scratch for it`);
        barSlots.push({ slot, asset: src.asset });
        let k = blockIndicator.indexOf(src.indicator);
        const block = k >= 0 ? blocks[k]! : transient.block(src.indicator);
        if (block === null) {
          barCols.push(transient.column(src.indicator, src.output));
          slotBlock.push(-1);
          continue;
        }
        if (k < 0) {
          k = blocks.push(block) - 1;
          blockIndicator.push(src.indicator);
          blockAsset.push(src.asset);
        }
        barCols.push(block.buffer);
        slotBlock.push(k);
      } else {
        stepSlots.push(slot);
        stepCols.push(src.column);
      }
    }
    const assets = [...new Set(barSlots.map((b) => b.asset))].sort((x, y) => x - y);
    const records = members.map((i) => recordedSlots(passes[i]!, data, transient !== null));
    const shape = groupShape(members.map((i) => passes[i]!), assets, barSlots, stepSlots, tl.dense, records, slotBlock.map((k) => (k < 0 ? 0 : 1)));
    const key = groupKey(shape);
    let f = generated.get(key);
    if (!f) {
      if (generated.size >= 256) generated.clear();
      const source = groupSource(shape);
      try {
        f = new Function(source)() as GroupPass;
      } catch {
        throw new Unsupported('the fast path generates code, which this page blocks (CSP)');
      }
      generated.set(key, f);
      signalLoops.generated++;
    }
    // The arrays handed to the generated pass are built by push, never by map: map's elements kind differs
    // once signalPass itself is optimized (its inlined map), and the pass, optimized for the first kind,
    // then deoptimized at entry and V8 left it in baseline code for good (~4× slower, and boxing every value
    // it read: ~110 KB of garbage per W1 run).
    const mems: Float64Array[] = [], evs: Events[] = [], stepOfs: Int32Array[] = [], xs: Float64Array[] = [];
    const counts = new Int32Array(assets.length);
    members.forEach((i, q) => {
      mems.push(new Float64Array(4 * passes[i]!.crossings).fill(NaN));
      events[i]!.width = records[q]!.length;
      evs.push(events[i]!);
      xs.push(records[q]!.length === 0 ? NO_VALUES : new Float64Array(records[q]!.length));
    });
    assets.forEach((a, k) => { stepOfs.push(tl.stepOf[a]!); counts[k] = tl.count[a]!; });
    const total = steps === null ? tl.steps : steps.length;
    const driver = blocks.length === 0 ? null : new BlockDriver(tl, steps, total, blocks, blockAsset, slotBlock);
    f(steps, total, firstStep, stepOfs, counts, barCols, stepCols, mems, evs, xs, driver);
    blocks.forEach((b, k) => transient!.noteBlock(blockIndicator[k]!, b));
    // The next group computes its own into the same memory.
    transient?.release();
  }
  return events;
}
