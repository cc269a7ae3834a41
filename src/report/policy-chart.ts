// Per autoscaled pool: what its policy acted on, against its thresholds, over the run — one panel per
// unit (the HPA's utilisation in %, a Pods metric in its own unit, the orchestrator's fractions,
// req/s and seconds…), and, when min/max held it back, a panel of the policy's wish against its
// maximum. The figures come from the engine's own decisions (series columns observed:/threshold:),
// held from one decision to the next.
import { figureColumns, OBSERVED_PREFIX, type PolicyFigure, type PoolSummary, type SeriesRow } from '../stats/results.ts';
import { baseConfig, OKABE_ITO, seriesList, thresholdLayers, timeChart } from './charts.ts';
import { fmtFigure, pressingFigures } from './explain.ts';
import { fmtDuration, fmtInt } from './format.ts';
import type { ChartDef } from './page.ts';
import { bucketNote, wideSeries, type RunView } from './run-view.ts';

type Obj = Record<string, unknown>;

const UNIT_TITLES: Record<string, string> = {
  '%': '%', fraction: 'fraction', millicores: 'millicores', bytes: 'bytes', 'req/s': 'req/s', 'req/min': 'req/min', s: 'seconds',
};

interface Panel {
  unit: string;
  metrics: string[];
  thresholds: Array<{ y: number; label: string }>;
}

function panels(figures: PolicyFigure[], rows: SeriesRow[]): Panel[] {
  const out = new Map<string, Panel>();
  for (const f of figures) {
    const col = figureColumns(f).value;
    if (!rows.some((r) => r.policy?.[col] !== undefined)) continue; // never had a value: nothing to draw
    let p = out.get(f.unit);
    if (!p) out.set(f.unit, (p = { unit: f.unit, metrics: [], thresholds: [] }));
    if (!p.metrics.includes(f.metric)) p.metrics.push(f.metric);
    const label = f.op === 'target' ? `target ${fmtFigure(f.target, f.unit)}` : `${f.threshold} ${f.op} ${fmtFigure(f.target, f.unit)}`;
    if (!p.thresholds.some((t) => t.y === f.target && t.label === label)) p.thresholds.push({ y: f.target, label });
  }
  return [...out.values()];
}

export function policyChart(v: RunView, pool: string, index: number): ChartDef | null {
  const c = v.summary.components?.[pool];
  const a = c?.kind === 'pool' ? (c as PoolSummary).autoscaling : undefined;
  const rows = v.comps.get(pool) ?? [];
  if (!a || rows.length === 0) return null;
  const figurePanels = panels(a.figures, rows);
  const clamped = rows.some((r) => r.wanted !== undefined && r.wanted !== null && r.wanted > a.max);
  if (figurePanels.length === 0 && !clamped) return null;
  const note = bucketNote(v, 'values are means, the wish its maximum');
  const pinned = a.pinnedAtMax;
  const peak = pinned ? pressingFigures(pinned.peakFigures)[0] : undefined;
  return {
    id: `policy-${index}`,
    title: `What the autoscaler acted on: ${pool}`,
    caption: `Each figure the ${a.policy === 'hpa' ? 'HPA' : a.policy === 'aws' ? 'AWS policy' : 'orchestrator'} compared with its thresholds (dashed), as it computed them at each decision and held until the next${clamped ? `; the last panel is what it wanted against its maximum of ${a.max}` : ''}.${note}`,
    alt: `Line charts over time of ${figurePanels.flatMap((p) => p.metrics).join(', ') || 'the policy figures'} against their thresholds for pool ${pool}.${
      pinned ? ` At its maximum of ${a.max} for ${fmtDuration(pinned.seconds)}, wanting up to ${fmtInt(pinned.peakWanted)}${peak ? ` (${peak.metric} ${fmtFigure(peak.value!, peak.unit)})` : ''}.` : ''}`,
    build: (interactive) => {
      const specs: Obj[] = figurePanels.map((p, i) => {
        const series = seriesList(p.metrics);
        const data = wideSeries(v, p.metrics.map((m, k) => ({
          key: `s${k}`, rows, get: (r: SeriesRow) => r.policy?.[`${OBSERVED_PREFIX}${m}`] ?? null, how: 'mean' as const,
        })));
        const unit = UNIT_TITLES[p.unit] ?? (p.unit || 'value');
        const yTitle = p.metrics.length === 1 ? `${p.metrics[0]} (${unit})` : unit;
        // room above the highest line so its threshold label stays inside the plot
        let top = Math.max(...p.thresholds.map((t) => t.y));
        for (const d of data) for (let k = 0; k < p.metrics.length; k++) top = Math.max(top, (d[`s${k}`] as number | null) ?? 0);
        return timeChart({
          ax: v.ax, data, series, kind: 'line', interpolate: 'step-after', yTitle, tipFormat: ',.4~r', interactive, height: 150,
          yScale: { zero: true, domainMax: top * 1.15 },
          extraLayers: thresholdLayers(p.thresholds), paramSuffix: `_${i}`,
        });
      });
      if (clamped) {
        const series = seriesList(['wanted', 'desired'], { colours: [OKABE_ITO.vermillion, OKABE_ITO.orange], dashes: [[6, 3], [1, 0]] });
        const data = wideSeries(v, [
          { key: 's0', rows, get: (r) => r.wanted ?? null, how: 'max' },
          { key: 's1', rows, get: (r) => r.instances_desired, how: 'max' },
        ]);
        specs.push(timeChart({
          ax: v.ax, data, series, kind: 'line', interpolate: 'step-after', yTitle: 'instances', tipFormat: ',d', interactive, height: 130,
          yScale: { zero: true, domainMax: Math.max(a.max, ...rows.map((r) => r.wanted ?? 0)) * 1.15 },
          extraLayers: thresholdLayers([{ y: a.max, label: `max ${a.max}` }]), paramSuffix: `_${specs.length}`,
        }));
      }
      for (const s of specs) delete s.config;
      const config = baseConfig();
      return {
        config: { ...config, legend: { ...(config.legend as Obj), labelLimit: 420 } }, // metric names are long (AWS: name, statistic, period)
        vconcat: specs,
        spacing: 14,
        resolve: { scale: { color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } },
      };
    },
  };
}
