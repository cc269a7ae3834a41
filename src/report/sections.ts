// The run report's HTML sections: verdict, key figures, replications, tables, scenario.
import YAML from 'yaml';
import { ERROR_CAUSES, errorTotal, type ErrorCounts, type PoolSummary, type RunSummary } from '../stats/results.ts';
import {
  esc, fmtDuration, fmtInt, fmtLatency, fmtMoney, fmtNum, fmtPct, fmtRate, fmtSloValue, fmtTime, sloSentence, type TimeAxis,
} from './format.ts';
import { causeChains, pinnedSentences } from './explain.ts';
import { callCauseLines } from './call-causes.ts';
import { CAUSE_LABELS } from './run-charts.ts';
import type { RunView } from './run-view.ts';

function sloRows(summary: RunSummary): string {
  const cur = summary.cost?.currency || 'USD';
  return (summary.slo ?? []).map((s) => {
    const margin = s.threshold !== 0 ? s.value / s.threshold - 1 : NaN;
    const marginText = Number.isFinite(margin)
      ? `${margin >= 0 ? '+' : '−'}${fmtPct(Math.abs(margin), 1)} ${margin >= 0 ? 'above' : 'below'} target`
      : '';
    return `<tr><td>${badge(s.pass)}</td><td>${esc(s.name)}</td><td>${esc(sloSentence(s, cur))}</td>
<td class="num"><b>${esc(fmtSloValue(s.metric, s.value, cur))}</b></td><td class="num muted">${esc(marginText)}</td></tr>`;
  }).join('\n');
}

export function badge(pass: boolean): string {
  return pass ? '<span class="badge pass">✓ PASS</span>' : '<span class="badge fail">✗ FAIL</span>';
}

export function verdictSection(summary: RunSummary): string {
  const slos = summary.slo ?? [];
  if (!slos.length) {
    return `<section class="verdict" aria-label="Verdict"><div class="verdict-head">No SLOs stated</div>
<p class="muted">The scenario states no expectations; the figures below describe the run.</p></section>`;
  }
  const failed = slos.filter((s) => !s.pass).length;
  const head = failed
    ? `${badge(false)} ${failed} of ${slos.length} SLO${slos.length > 1 ? 's' : ''} missed`
    : `${badge(true)} All ${slos.length} SLO${slos.length > 1 ? 's' : ''} met`;
  return `<section class="verdict ${failed ? 'fail' : 'pass'}" aria-label="Verdict">
<div class="verdict-head">${head}</div>
<table class="slo"><thead><tr><th>Result</th><th>SLO</th><th>Target</th><th class="num">Actual</th><th class="num">Margin</th></tr></thead>
<tbody>${sloRows(summary)}</tbody></table></section>`;
}

function card(k: string, v: string, s = '', extra = ''): string {
  return `<div class="card"><div class="k">${k}</div><div class="v">${v}</div>${s ? `<div class="s">${s}</div>` : ''}${extra}</div>`;
}

export function keyFigures(v: RunView): string {
  const s = v.summary;
  const cur = s.cost?.currency || 'USD';
  const t = s.totals;
  const errs = errorTotal(t.errors);
  const peaks = Object.entries(s.peakInstances ?? {});
  const peakList = peaks.length
    ? `<ul>${peaks.map(([p, n]) => `<li><span>${esc(p)}</span><b>${fmtInt(n)}</b></li>`).join('')}</ul>`
    : '';
  const peakTotal = peaks.reduce((a, [, n]) => a + n, 0);
  const worst = s.worstInterval
    ? card('Worst interval', esc(fmtLatency(s.worstInterval.p99)), `p99 in the interval ending ${esc(fmtTime(v.ax, s.worstInterval.time, true, s.scenario.duration))}`)
    : '';
  return `<section class="figures" aria-label="Key figures">
${card('Total cost', esc(fmtMoney(s.cost.total, cur)), `${esc(fmtNum(s.cost.instanceHours, 1))} instance-hours over ${esc(fmtDuration(s.scenario.duration))}`)}
${peaks.length === 1
    ? card('Peak instances', esc(fmtInt(peakTotal)), `pool ${esc(peaks[0]![0])}`)
    : card('Peak instances', peaks.length ? esc(fmtInt(peakTotal)) : '–', peaks.length ? 'sum of each pool’s peak:' : 'no pools', peakList)}
${card('Latency p99', esc(fmtLatency(s.latency.p99)), `p95 ${esc(fmtLatency(s.latency.p95))} · p50 ${esc(fmtLatency(s.latency.p50))} · max ${esc(fmtLatency(s.latency.max))}`)}
${card('Error rate', esc(fmtPct(t.errorRate, 3)), `${esc(fmtInt(errs))} of ${esc(fmtInt(t.completions + errs))} requests failed`)}
${card('Throughput', esc(fmtRate(t.throughput)), `offered ${esc(fmtRate(t.offeredRate))} · ${esc(fmtInt(t.completions))} completed`)}
${worst}
</section>`;
}

/** The spread across replications, when the run was replicated: how far one seed's answer can be trusted. */
export function replicationSection(s: RunSummary): string {
  const r = s.replications;
  if (!r) return '';
  const cur = s.cost?.currency || 'USD';
  const fmt = (m: string, x: number) => esc(fmtSloValue(m, x, cur));
  const rows = r.stats.map((x) => `<tr><td>${esc(x.metric)}</td><td class="num">${fmt(x.metric, x.mean)}</td><td class="num">${fmt(x.metric, x.low)} – ${fmt(x.metric, x.high)}</td><td class="num">${fmt(x.metric, x.min)}</td><td class="num">${fmt(x.metric, x.max)}</td></tr>`).join('');
  const metric = (name: string) => s.slo.find((x) => x.name === name)?.metric ?? '';
  const slo = r.slo.map((k) => `<li>${esc(k.name)}: met in <b>${k.passed} of ${k.of}</b> replications${k.judgement ? `; on the 95% CI of its mean (${fmt(metric(k.name), k.judgement.low)} – ${fmt(metric(k.name), k.judgement.high)}): <b>${esc(k.judgement.verdict)}</b>` : ''}</li>`).join('');
  return `<section aria-label="Replications"><h2 id="replications">Across ${r.n} replications</h2>
<p class="muted">Seeds ${r.seeds[0]}–${r.seeds[r.seeds.length - 1]}. Charts and figures elsewhere on this page are the first replication's; here is how much they move from seed to seed (mean with its 95% confidence interval).</p>
<div class="wide"><table class="replications"><thead><tr><th>Figure</th><th class="num">Mean</th><th class="num">95% CI</th><th class="num">Min</th><th class="num">Max</th></tr></thead><tbody>${rows}</tbody></table></div>
${slo ? `<ul>${slo}</ul>` : ''}</section>`;
}

/** Gatling's per-request table: each request class of the mix, end to end. */
export function classTable(s: RunSummary): string {
  if (!s.classes) return '';
  const rows = Object.entries(s.classes).map(([name, c]) => `<tr><td>${esc(name)}</td><td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.completions)}</td><td class="num">${esc(fmtPct(c.errorRate, 3))}</td><td class="num">${esc(fmtLatency(c.latency.p50))}</td><td class="num">${esc(fmtLatency(c.latency.p95))}</td><td class="num">${esc(fmtLatency(c.latency.p99))}</td><td class="num">${esc(fmtLatency(c.latency.max))}</td></tr>`).join('');
  return `<h3>Request classes</h3><div class="wide"><table class="classes"><thead><tr><th>Class</th><th class="num">Arrivals</th><th class="num">Completed</th><th class="num">Error rate</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Max</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function scalingTable(v: RunView, limit = 300): string {
  const ev = v.summary.scaling ?? [];
  if (!ev.length) return '<p class="muted">No scaling actions during the run.</p>';
  const rows = ev.slice(0, limit).map((e) => {
    const d = e.to - e.from;
    return `<tr><td class="num">${esc(fmtTime(v.ax, e.time, false, v.summary.scenario.duration))}</td><td>${esc(e.pool)}</td>
<td class="num">${esc(e.from)} → <b>${esc(e.to)}</b> <span class="muted">(${d >= 0 ? '▲ +' : '▼ −'}${Math.abs(d)})</span>${e.unclamped !== undefined && e.unclamped !== e.to ? `<div class="sub">wanted ${esc(e.unclamped)}</div>` : ''}</td>
<td>${esc(e.rule)}</td><td>${e.reasons.length ? `<ul class="reasons">${e.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}</td></tr>`;
  });
  const more = ev.length > limit ? `<p class="muted">… and ${ev.length - limit} more (all are in summary.json).</p>` : '';
  return `<div class="wide"><table class="scaling"><thead><tr><th class="num">${esc(v.ax.mode === 'wall' ? `Time${v.ax.zone ? ` (${v.ax.zone})` : ''}` : v.ax.mode === 's' ? 't' : 'Elapsed')}</th><th>Pool</th><th class="num">Instances</th><th>Rule</th><th>Reasons</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>${more}`;
}

export function componentTable(v: RunView): string {
  const s = v.summary;
  const cur = s.cost?.currency || 'USD';
  const errCell = (e: ErrorCounts) => {
    const total = errorTotal(e);
    if (!total) return '<td class="num muted">0</td>';
    const parts = ERROR_CAUSES.filter((c) => e[c]).map((c) => `${esc(CAUSE_LABELS[c].replace(/ \(\d+\)$/, ''))}&nbsp;${fmtInt(e[c])}`);
    return `<td class="num">${fmtInt(total)}<div class="sub">${parts.join('<br>')}</div></td>`;
  };
  const dash = '<td class="num muted">–</td>';
  const name = (n: string, kind: string) => `<td>${esc(n)}<div class="sub">${esc(kind)}</div></td>`;
  const rows: string[] = [];
  rows.push(`<tr>${name('whole system', 'end to end')}<td class="num">${fmtInt(s.totals.arrivals)}</td><td class="num">${fmtInt(s.totals.completions)}</td>${errCell(s.totals.errors)}
<td class="num">${esc(fmtLatency(s.latency.p50))}</td><td class="num">${esc(fmtLatency(s.latency.p95))}</td><td class="num">${esc(fmtLatency(s.latency.p99))}</td>
${dash}<td class="num">${esc(fmtNum(s.cost.instanceHours, 1))} h</td><td class="num">${esc(fmtMoney(s.cost.total, cur))}</td></tr>`);
  for (const n of v.names) {
    const c = s.components?.[n];
    if (!c) continue;
    if (c.kind === 'pool') {
      const p = c as PoolSummary;
      rows.push(`<tr>${name(n, 'pool')}<td class="num">${fmtInt(p.arrivals)}</td><td class="num">${fmtInt(p.completions)}</td>${errCell(p.errors)}
<td class="num">${esc(fmtLatency(p.latency.p50))}</td><td class="num">${esc(fmtLatency(p.latency.p95))}</td><td class="num">${esc(fmtLatency(p.latency.p99))}</td>
<td class="num">${esc(fmtPct(p.utilisation, 1))}</td><td class="num">${fmtInt(p.instances.min)}–${fmtInt(p.instances.max)}<div class="sub">mean ${esc(fmtNum(p.instances.mean, 1))} · ${esc(fmtNum(p.instanceHours, 1))} h</div></td>
<td class="num">${esc(fmtMoney(p.cost, cur))}<div class="sub">${esc(fmtMoney(p.pricePerHour, cur))}/h each</div></td></tr>`);
    } else if (c.kind === 'database') {
      rows.push(`<tr>${name(n, 'database')}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.completions)}<div class="sub">queries</div></td>${errCell(c.errors)}
${dash}${dash}${dash}${dash}<td class="num">${fmtInt(c.sessions.primary.peak)}/${fmtInt(c.sessions.primary.maxConnections)}<div class="sub">sessions at the primary</div></td>${dash}</tr>`);
    } else if (c.kind === 'cache') {
      rows.push(`<tr>${name(n, `cache · ${c.shards} shard${c.shards === 1 ? '' : 's'}`)}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.hits)}<div class="sub">hits · ${esc(fmtPct(c.hitRatio, 1))}${c.restarts ? ` · ${fmtInt(c.restarts)} restarts` : ''}</div></td>${errCell(c.errors)}
<td class="num">${esc(fmtLatency(c.latency.p50))}</td><td class="num">${esc(fmtLatency(c.latency.p95))}</td><td class="num">${esc(fmtLatency(c.latency.p99))}</td>
<td class="num">${esc(fmtPct(c.utilisation, 1))}</td><td class="num">${fmtInt(c.shards)}</td><td class="num">${esc(fmtMoney(c.cost, cur))}</td></tr>`);
    } else if (c.kind === 'queue') {
      rows.push(`<tr>${name(n, 'queue')}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.consumed)}<div class="sub">consumed · mean wait ${esc(fmtLatency(c.wait.mean))}</div></td>${errCell(c.errors)}
${dash}${dash}${dash}${dash}${dash}${dash}</tr>`);
    } else if (c.kind === 'cdn') {
      rows.push(`<tr>${name(n, 'CDN edge')}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.atEdge)}<div class="sub">at the edge · ${esc(fmtPct(c.edgeFraction, 1))}</div></td>${errCell(c.errors)}
${dash}${dash}${dash}${dash}${dash}<td class="num">${esc(fmtMoney(c.cost, cur))}</td></tr>`);
    } else {
      rows.push(`<tr>${name(n, 'load balancer')}<td class="num">${fmtInt(c.arrivals)}</td><td class="num">${fmtInt(c.forwarded)}<div class="sub">forwarded${c.retries ? ` · ${fmtInt(c.retries)} retries` : ''}</div></td>${errCell(c.errors)}
${dash}${dash}${dash}${dash}${dash}${dash}</tr>`);
    }
  }
  return `<div class="wide"><table class="components"><thead>
<tr><th>Component</th><th class="num">Arrivals</th><th class="num">Completed</th><th class="num">Errors</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Utilisation</th><th class="num">Instances</th><th class="num">Cost</th></tr>
</thead><tbody>${rows.join('\n')}</tbody></table></div>
<p class="muted small">Latency columns are the time spent at each component (queue + service); the whole-system row is end to end. Instances: min–max during the run.</p>`;
}

export function scenarioYaml(source: unknown): string {
  if (source === undefined || source === null) return '(the run did not record its scenario)';
  try {
    return YAML.stringify(source, { lineWidth: 0 });
  } catch (e) {
    return `(scenario could not be shown as YAML: ${(e as Error).message})`;
  }
}

export function headerMeta(s: RunSummary, ax: TimeAxis): string {
  const bits = [
    `${fmtDuration(s.scenario.duration)} ${s.source === 'measured' ? 'measured on a live stack' : 'simulated'}${ax.mode === 'wall' ? ` from ${fmtTime(ax, 0)}` : ''}`,
    `seed ${s.scenario.seed}`,
    `sampled every ${fmtDuration(s.scenario.sampleInterval)}`,
    s.scenario.warmup > 0 ? `first ${fmtDuration(s.scenario.warmup)} excluded as warm-up` : '',
    s.scenario.file ? `scenario ${s.scenario.file}` : '',
  ].filter(Boolean);
  return bits.map(esc).join(' · ');
}


/**
 * Why the run went as it did, when the summary can say: pools pinned at their maximum while the
 * policy wanted more, and nginx's passive health check turning failed attempts into 502s.
 */
export function explanationSection(v: RunView): string {
  const s = v.summary;
  const pinned = pinnedSentences(s, (t) => fmtTime(v.ax, t, false, s.scenario.duration));
  const chains = causeChains(s);
  // failures that came from downstream: a pool's calls, followed to what they waited on (as the terminal's "why")
  const calls = callCauseLines(s);
  if (!pinned.length && !chains.length && !calls.length) return '';
  const chainItems = chains.map((c) => `<li><b>${esc(c.balancer)}</b>: ${c.steps.map(esc).join(' <span aria-hidden="true">→</span> ')}.
<div class="sub muted">${esc(c.rule)}.</div></li>`);
  const callItems = calls.map((line) => {
    const [head, ...rest] = line.split(' ← ');
    const i = head!.indexOf(': ');
    return `<li><b>${esc(head!.slice(0, i))}</b>: ${esc(head!.slice(i + 2))}${rest.map((r) => ` ← ${esc(r)}`).join('')}.</li>`;
  });
  return `<section class="explain" aria-label="Why"><h2 id="why">Why</h2><ul>
${pinned.map((p) => `<li>${esc(p)}</li>`).join('\n')}
${chainItems.join('\n')}
${callItems.join('\n')}
</ul></section>`;
}
