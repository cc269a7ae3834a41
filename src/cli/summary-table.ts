// The summary a person reads in the terminal after a run.
import { ERROR_CAUSES, FIRST_CAUSES, errorTotal, type ErrorCause, type RunSummary } from '../stats/results.ts';
import { causeChains, pinnedSentences } from '../report/explain.ts';
import { disruptionLines } from '../report/disruptions.ts';
import { sizeLines, verticalLines } from '../report/sizes.ts';
import { bottleneckLine } from '../report/bottleneck.ts';
import { fmtTime, timeAxis } from '../report/format.ts';
import { callCauseLines } from '../report/call-causes.ts';

/** Causes shown only when they occurred (runs without faults keep today's line). */
const CAUSE_WORDS: Partial<Record<ErrorCause, string>> = {
  killed: 'killed', refused: 'refused', serverError: 'server error', queueFull: 'queue full',
  connectionTimeout: 'connection timeout', callTimeout: 'call timeout', downstream: 'downstream',
};

const ms = (s: number) => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`);
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));
const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 && x > 0 ? 4 : 2)}%`;

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSummary(s: RunSummary): string {
  const t = s.totals, l = s.latency, out: string[] = [];
  /** A figure named as SLOs name it, in its unit. */
  const show = (metric: string, v: number) =>
    metric.startsWith('latency') ? ms(v)
      : metric === 'errorRate' ? pct(v)
      : metric === 'cost' ? `${v.toFixed(2)} ${s.cost.currency}`
      : metric === 'throughput' ? `${num(v)} req/s`
      : metric.startsWith('peakInstances') ? `${num(v)} instances`
      : num(v);
  const hours = s.scenario.duration / 3600;
  out.push(`${s.scenario.name} — ${s.scenario.description || s.scenario.file}`);
  const span = hours >= 1 ? `${hours.toFixed(1)} h` : `${(s.scenario.duration / 60).toFixed(1)} min`;
  out.push(`${s.source === 'measured' ? 'measured on a live stack' : 'simulated'} ${span}, seed ${s.scenario.seed}`);
  out.push('');
  out.push(`requests   ${t.arrivals} arrived, ${t.completions} completed, ${t.arrivals - t.completions - t.inFlight} failed (${pct(t.errorRate)}), ${t.inFlight} in flight at the end`);
  const later = ERROR_CAUSES.slice(FIRST_CAUSES).filter((c) => t.errors[c] > 0).map((c) => `, ${CAUSE_WORDS[c]} ${t.errors[c]}`).join('');
  out.push(`errors     rate-limited ${t.errors.rateLimited}, backlog full ${t.errors.backlogFull}, timeout ${t.errors.timeout}, no upstream ${t.errors.noUpstream}${later}`);
  out.push(`throughput ${num(t.throughput)} req/s served of ${num(t.offeredRate)} req/s offered`);
  out.push(`latency    p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  p99.9 ${ms(l.p999)}  max ${ms(l.max)}`);
  const nodeHours = s.cost.nodeHours !== undefined ? ` and ${s.cost.nodeHours.toFixed(1)} node-hours` : '';
  out.push(`cost       ${s.cost.total.toFixed(2)} ${s.cost.currency} for ${s.cost.instanceHours.toFixed(1)} instance-hours${nodeHours}`);
  if (s.nodes) {
    const n = s.nodes, pools = Object.entries(n.pools).map(([k, p]) => `${k} ${p.instanceType} ${p.nodes.start}→${p.nodes.final} (peak ${p.nodes.peak})`).join(', ');
    const waited = n.pending.waited > 0 ? `${n.pending.waited} pods waited for a node (mean ${n.pending.waitMean.toFixed(0)} s, max ${n.pending.waitMax.toFixed(0)} s)` : 'no pod waited for a node';
    out.push(`nodes      ${pools}; ${n.scaleUps} scale-ups, ${n.scaleDowns} removed; ${waited}${n.pending.final > 0 ? `, ${n.pending.final} still pending` : ''}`);
  }
  if (s.worstInterval) out.push(`worst      p99 ${ms(s.worstInterval.p99)} in the interval ending at t=${s.worstInterval.time.toFixed(0)} s`);
  out.push('');
  const rows: string[][] = [];
  for (const [name, c] of Object.entries(s.components)) {
    if (c.kind === 'pool') {
      rows.push([name, 'pool', String(c.arrivals), String(c.completions), String(errorTotal(c.errors)),
        ms(c.latency.p50), ms(c.latency.p99), pct(c.utilisation), `${c.instances.min}–${c.instances.max}`, c.cost.toFixed(2)]);
    } else if (c.kind === 'database') {
      const ses = c.sessions.primary;
      rows.push([name, 'database', String(c.arrivals), String(c.completions), String(errorTotal(c.errors)),
        '', '', '', `${ses.peak}/${ses.maxConnections} sessions`, '']);
    } else if (c.kind === 'cache') {
      rows.push([name, 'cache', String(c.arrivals), String(c.lookups), String(errorTotal(c.errors)),
        ms(c.latency.p50), ms(c.latency.p99), pct(c.utilisation), `${c.shards} shards, hit ${pct(c.hitRatio)}`, c.cost.toFixed(2)]);
    } else if (c.kind === 'queue') {
      rows.push([name, 'queue', String(c.arrivals), String(c.consumed), String(errorTotal(c.errors)),
        '', '', '', `wait ${ms(c.wait.mean)}, max depth ${c.maxDepth}`, '']);
    } else if (c.kind === 'cdn') {
      rows.push([name, 'cdn', String(c.arrivals), String(c.atEdge), String(errorTotal(c.errors)),
        '', '', '', `edge ${pct(c.edgeFraction)}`, c.cost.toFixed(2)]);
    } else {
      rows.push([name, 'balancer', String(c.arrivals), String(c.forwarded), String(errorTotal(c.errors)),
        '', '', '', `${c.retries} retries`, '']);
    }
  }
  out.push(table(['component', 'kind', 'arrivals', 'done/fwd', 'errors', 'p50', 'p99', 'util', 'instances', 'cost'], rows));
  if (s.classes) {
    out.push('');
    out.push(table(['request class', 'arrivals', 'completed', 'errors', 'p50', 'p95', 'p99', 'max'], Object.entries(s.classes).map(([name, c]) => [
      name, String(c.arrivals), String(c.completions), pct(c.errorRate), ms(c.latency.p50), ms(c.latency.p95), ms(c.latency.p99), ms(c.latency.max),
    ])));
  }
  const bottleneck = bottleneckLine(s, (at) => fmtTime(timeAxis(s), at, false, s.scenario.duration));
  if (bottleneck) out.push('', `bottleneck ${bottleneck}`);
  if (s.scaling.length > 0) out.push('', `scaling    ${s.scaling.length} actions (see summary.json / index.html)`);
  for (const line of pinnedSentences(s, (t) => `t=${t.toFixed(0)} s`)) out.push(`at max     ${line}`);
  const chains = causeChains(s);
  if (chains.length > 0) out.push('');
  for (const c of chains) {
    out.push(`${c.answered.padEnd(11)}${c.balancer}: ${c.steps.join(' → ')}`);
    out.push(`           ${c.rule}`);
  }
  const why = callCauseLines(s);
  if (why.length > 0) out.push('', ...why.map((line, i) => `${i === 0 ? 'why' : '   '}        ${line}`));
  const disruptions = disruptionLines(s);
  if (disruptions.length > 0) {
    out.push('', `recovery   after each fault and release, the SLO judged per interval (see index.html):`);
    for (const line of disruptions) out.push(`  ${line}`);
  }
  const sizes = sizeLines(s);
  if (sizes.length > 0) out.push('', 'sizes      each size a resized pool ran, its p99 at the pool and its cost:', ...sizes.map((line) => `  ${line}`));
  for (const line of verticalLines(s)) out.push('', `vpa        ${line}`);
  if (s.replications) {
    const r = s.replications;
    out.push('', `across ${r.n} replications (seeds ${r.seeds[0]}–${r.seeds[r.seeds.length - 1]}); the figures above are the first one's`);
    out.push(table(['figure', 'mean', '95% CI', 'min', 'max'], r.stats.map((x) => [
      x.metric, show(x.metric, x.mean), `${show(x.metric, x.low)} – ${show(x.metric, x.high)}`, show(x.metric, x.min), show(x.metric, x.max),
    ])));
  }
  if (s.slo.length > 0) {
    out.push('');
    s.slo.forEach((r, k) => {
      const over = s.replications?.slo[k];
      const j = over?.judgement;
      const bound = `(${r.op} ${show(r.metric, r.threshold)})`;
      if (over === undefined || j === undefined) {
        out.push(`${r.pass ? 'PASS' : 'FAIL'}  ${r.name}: ${r.metric} = ${show(r.metric, r.value)} ${bound}`);
        return;
      }
      // Over replications the verdict is on the confidence interval of the mean (stats/noise.ts).
      const word = j.verdict === 'pass' ? 'PASS' : j.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
      const ci = `95% CI ${show(r.metric, j.low)} – ${show(r.metric, j.high)}`;
      let line = `${word}  ${r.name}: ${r.metric} mean ${show(r.metric, j.mean)} ${bound}, ${ci}, met in ${over.passed} of ${over.of} replications`;
      if (j.verdict === 'inconclusive') line += j.needed === null ? '; the mean is on the bound: no number of replications decides it' : `; about ${j.needed} replications would decide it`;
      out.push(line);
    });
  }
  return out.join('\n');
}

/** Whether a run failed its SLOs: over replications, any SLO not judged a pass; else any SLO not met. */
export function sloFailed(s: RunSummary): boolean {
  return s.slo.some((r, k) => {
    const j = s.replications?.slo[k]?.judgement;
    return j !== undefined ? j.verdict !== 'pass' : !r.pass;
  });
}
