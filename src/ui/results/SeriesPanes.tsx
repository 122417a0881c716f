import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { StepSeries } from '../../schema/index.ts';
import { formatCount } from './format.ts';
import { alignAsOf, seriesKey, seriesLabel, type SeriesKey } from './series-align.ts';
import { UPlotChart, type ChartSeries, type ChartXAxis } from './UPlotChart.tsx';

/** External series for the panes under a price chart. */
export interface SeriesSource {
  /** The series the run read, as it read them: shown by default. */
  used: readonly StepSeries[];
  /** Every series stored on this device (`file` changes when it is re-imported), for the picker. */
  stored: readonly (SeriesKey & { file?: string })[];
  /** Reads a stored series; absent: only the run's series can be shown. */
  load?: (key: SeriesKey) => Promise<StepSeries | null>;
}

const COLORS = ['--c-line-3', '--c-line-4', '--c-line-1', '--c-line-2'];
const formatValue = (v: number) => (Math.abs(v) >= 1000 ? formatCount(v) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

export interface SeriesPanesProps {
  symbol: string;
  /** The first asset's chart also shows the global series the run read (once, not under every asset). */
  first: boolean;
  /** The price chart's x and each bucket's last bar time (epoch ms): a pane shows what was known at that bar. */
  x: Float64Array;
  end: Float64Array;
  syncKey: string;
  xAxis?: ChartXAxis;
  onPick: (index: number) => void;
  source: SeriesSource;
}

/**
 * One stepped pane per external series under an asset's price chart: the run's own series by default
 * (its per-symbol ones for this asset; global ones under the first asset), and a picker to add any other
 * stored series of this asset or global, or to remove one. Values step as of each bar, as the run reads them.
 */
export function SeriesPanes({ symbol, first, x, end, syncKey, xAxis, onPick, source }: SeriesPanesProps) {
  const [added, setAdded] = useState<SeriesKey[]>([]);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const mine = (k: SeriesKey) => k.symbol === symbol || k.symbol === null;
  const shown = useMemo(() => {
    const out = new Map<string, SeriesKey>();
    for (const s of source.used) if (s.symbol === symbol || (s.symbol === null && first)) out.set(seriesKey(s), { name: s.name, symbol: s.symbol });
    for (const k of added) out.set(seriesKey(k), k);
    for (const k of removed) out.delete(k);
    return [...out.values()];
  }, [source.used, symbol, first, added, removed]);
  const shownKeys = new Set(shown.map(seriesKey));
  const choices = (source.load ? source.stored : source.used).filter((k) => mine(k) && !shownKeys.has(seriesKey(k)));
  const add = (key: string) => {
    const k = choices.find((c) => seriesKey(c) === key);
    if (!k) return;
    setAdded((a) => [...a.filter((c) => seriesKey(c) !== key), { name: k.name, symbol: k.symbol }]);
    setRemoved((r) => new Set([...r].filter((c) => c !== key)));
  };
  const remove = (key: string) => {
    setAdded((a) => a.filter((c) => seriesKey(c) !== key));
    setRemoved((r) => new Set([...r, key]));
  };
  if (shown.length === 0 && choices.length === 0) return null;
  return (
    <div className="series-panes">
      {shown.map((k, i) => {
        const run = source.used.find((s) => s.name === k.name && s.symbol === k.symbol);
        const file = source.stored.find((s) => seriesKey(s) === seriesKey(k))?.file;
        return (
          <SeriesPane key={seriesKey(k)} id={k} run={run} file={file} load={source.load} color={COLORS[i % COLORS.length]!}
            x={x} end={end} syncKey={syncKey} xAxis={xAxis} onPick={onPick} onRemove={() => remove(seriesKey(k))} />
        );
      })}
      {choices.length > 0 && (
        <label className="series-add">
          Add a series{' '}
          <select aria-label={`Add a series under the ${symbol} chart`} value="" onChange={(e) => add(e.target.value)}>
            <option value="">choose…</option>
            {choices.map((c) => <option key={seriesKey(c)} value={seriesKey(c)}>{seriesLabel(c)}</option>)}
          </select>
        </label>
      )}
    </div>
  );
}

interface SeriesPaneProps {
  id: SeriesKey;
  /** The run's copy of this series, if the run read it. */
  run: StepSeries | undefined;
  file: string | undefined;
  load: SeriesSource['load'];
  color: string;
  x: Float64Array;
  end: Float64Array;
  syncKey: string;
  xAxis?: ChartXAxis;
  onPick: (index: number) => void;
  onRemove: () => void;
}

function SeriesPane({ id, run, file, load, color, x, end, syncKey, xAxis, onPick, onRemove }: SeriesPaneProps) {
  const label = seriesLabel(id);
  const stored = useQuery({
    queryKey: ['stored-series', id.name, id.symbol, file],
    queryFn: () => load!(id),
    enabled: run === undefined && load !== undefined,
    staleTime: Infinity,
    gcTime: 0,
  });
  const s = run ?? stored.data ?? null;
  const series = useMemo<ChartSeries[] | null>(
    () => (s ? [{ label: id.name, values: alignAsOf(s, end), colorVar: color, stepped: true }] : null),
    [s, end, id.name, color],
  );
  const removeButton = <button type="button" onClick={onRemove} aria-label={`Remove ${label} from the chart`}>×</button>;
  if (stored.error || (stored.isSuccess && stored.data === null)) {
    return <p role="alert" className="field-error">{label}: {stored.error ? stored.error.message : 'not stored on this device'} {removeButton}</p>;
  }
  if (!series) return <p role="status" className="muted">Loading {label}…</p>;
  return (
    <UPlotChart title={`${label}, as known at each bar`} x={x} series={series} height={110} syncKey={syncKey} formatY={formatValue}
      onPick={onPick} xAxis={xAxis} controls={removeButton} />
  );
}
