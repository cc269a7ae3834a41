// Sentences that explain a run's outcome from its summary alone, shared by the terminal summary and
// the HTML report: a pool pinned at its maximum while its policy wanted more, and nginx's passive
// health check turning a few failed attempts into many 502s.
import { ERROR_CAUSES, type ErrorCause, type PolicyFigure, type PoolAutoscaling, type RunSummary, type UpstreamCauses } from '../stats/results.ts';
import { fmtDuration, fmtInt, fmtNum, sig } from './format.ts';

/** A policy figure's value in its unit. */
export function fmtFigure(value: number, unit: string): string {
  switch (unit) {
    case '%': return `${fmtNum(value, 1)} %`;
    case 'fraction': return String(sig(value, 3));
    case 'millicores': return `${fmtNum(value, 0)}m`;
    case 'bytes': return `${fmtNum(value / 2 ** 20, 1)} MiB`;
    case 's': return `${String(sig(value, 3))} s`;
    case '': return String(sig(value, 4));
    default: return `${String(sig(value, 4))} ${unit}`;
  }
}

const POLICY_NAMES: Record<PoolAutoscaling['policy'], string> = { hpa: 'HPA', aws: 'AWS Auto Scaling', orchestrator: 'orchestrator', keda: 'KEDA' };

/** "cpu utilization 165 % against a target of 60 %", "CPUUtilization Average 300s 92 % > 80 % (salar-app-high-cpu)". */
export function figureSentence(f: PolicyFigure): string {
  const v = f.value === null ? 'no value' : fmtFigure(f.value, f.unit);
  if (f.op === 'target') return `${f.metric} ${v} against a target of ${fmtFigure(f.target, f.unit)}`;
  return `${f.metric} ${v} ${f.op} ${fmtFigure(f.target, f.unit)} (${f.threshold})`;
}

/** The figures asking for more capacity, most pressing first: above their target or an up-threshold. */
export function pressingFigures(figs: PolicyFigure[]): PolicyFigure[] {
  return figs
    .filter((f) => f.value !== null && (f.op === 'target' || f.op === '>' || f.op === '>=') && f.value > f.target)
    .sort((a, b) => b.value! / (b.target || 1) - a.value! / (a.target || 1));
}

/** "api sat at its maximum of 40 instances for 15 s from 0:07:15 while the HPA wanted up to 42: cpu utilization 165 % …" */
export function pinnedSentence(pool: string, a: PoolAutoscaling, when: (t: number) => string): string | null {
  const p = a.pinnedAtMax;
  if (!p || p.seconds <= 0) return null;
  const why = pressingFigures(p.peakFigures).slice(0, 2).map(figureSentence);
  return `${pool} sat at its maximum of ${a.max} instances for ${fmtDuration(p.seconds)} (from ${when(p.from)}) while the ${POLICY_NAMES[a.policy]} wanted up to ${p.peakWanted}${why.length ? `: ${why.join('; ')}` : ''}.`;
}

/** Every pinned pool of a run, as sentences. */
export function pinnedSentences(s: RunSummary, when: (t: number) => string): string[] {
  const out: string[] = [];
  for (const [name, c] of Object.entries(s.components ?? {})) {
    if (c.kind !== 'pool' || !c.autoscaling) continue;
    const line = pinnedSentence(name, c.autoscaling, when);
    if (line) out.push(line);
  }
  return out;
}

/** The steps from failed attempts to "no live upstreams" 502s at one balancer, when it came to that. */
export interface CauseChain {
  balancer: string;
  /** the line's label: nginx answered 502s "no live upstreams" (hung connects may be among the steps), or only connects hung */
  answered: '502s' | 'hung';
  steps: string[];
  /** why nginx behaved so: the max_fails / fail_timeout in force */
  rule: string;
}

/** How an attempt failed at a pool, as nginx met it. */
const ATTEMPT_WORDS: Partial<Record<ErrorCause, string>> = {
  backlogFull: 'refused with a full backlog',
  timeout: 'timed out',
  noUpstream: 'cut by a drain',
  killed: 'killed in flight',
  refused: 'refused with the process down',
  serverError: 'answered with a 5xx',
  connectionTimeout: 'answered 503 with no database connection in time',
  callTimeout: 'answered 504 when its calls timed out',
  downstream: 'answered 502 when its calls failed',
};

export function causeChain(balancer: string, c: UpstreamCauses): CauseChain | null {
  const hung = c.connectTimedOut ?? 0;
  if (c.noLiveUpstreams === 0 && hung === 0) return null; // failures that cost no 502 and hung no connect need no explaining
  // Summaries from before `failed` existed count the three causes nginx met then.
  const by: Partial<Record<ErrorCause, number>> = c.failed ?? { backlogFull: c.refused, timeout: c.timedOut, noUpstream: c.drainKilled };
  const causes = ERROR_CAUSES.filter((k) => (by[k] ?? 0) > 0);
  const failed = causes.reduce((n, k) => n + by[k]!, 0);
  const parts = causes.map((k) => `${fmtInt(by[k]!)} ${ATTEMPT_WORDS[k] ?? k}`);
  const steps = [`${fmtInt(failed)} attempts failed at pool ${c.pool}${parts.length ? ` (${parts.join(', ')})` : ''}`];
  if (hung > 0) steps.push(`${fmtInt(hung)} connects to lost hosts got no answer and hung proxy_connect_timeout ${fmtDuration(c.connectTimeout ?? 60)} each before counting as failures (then a retry, or 504)`);
  if (c.markedDown > 0) steps.push(`a peer was marked down ${fmtInt(c.markedDown)} ${c.markedDown === 1 ? 'time' : 'times'}`);
  if (c.noLiveUpstreams > 0) steps.push(`${fmtInt(c.noLiveUpstreams)} requests answered 502 "no live upstreams"${c.markedDown === 0 ? ' (no peer was marked down: the pool had no ready instance)' : ''}`);
  const setting = `max_fails=${c.maxFails} fail_timeout=${fmtDuration(c.failTimeout).replace(' ', '')}`;
  const rule = c.maxFails === 0
    ? `${setting}: failures never take a peer out`
    : `${setting}${c.nginxDefaults ? " (nginx's defaults)" : ''}: ${c.maxFails === 1 ? 'one failure takes' : `${c.maxFails} failures within ${fmtDuration(c.failTimeout)} take`} a peer out for ${fmtDuration(c.failTimeout)}; when every peer is out, nginx answers 502 without trying any`;
  const answered = c.noLiveUpstreams > 0 ? '502s' : 'hung';
  return { balancer, answered, steps, rule };
}

export function causeChains(s: RunSummary): CauseChain[] {
  const out: CauseChain[] = [];
  for (const [name, c] of Object.entries(s.components ?? {})) {
    if (c.kind !== 'loadBalancer' || !c.causes) continue;
    const chain = causeChain(name, c.causes);
    if (chain) out.push(chain);
  }
  return out;
}
