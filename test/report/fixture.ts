// Synthesises a plausible run: diurnal load through a load balancer into an autoscaled pool ("api",
// 3 → 12 → 4 instances) with timeouts at the peak and a failing p99 SLO; extra pools for size tests.
import {
  completeErrors, errorColumns,
  type BalancerSummary, type ComponentSummary, type ErrorCounts, type LatencySummary, type PoolSummary, type RunSummary, type ScalingEvent, type SeriesRow,
} from '../../src/stats/results.ts';
import { BottleneckTracker } from '../../src/model/bottleneck.ts';

export interface FixtureOpts {
  duration?: number; // s
  interval?: number; // s
  /** Pools besides "api". */
  extraPools?: number;
  startTime?: string;
  name?: string;
  description?: string;
  /** Names for the balancer and the main pool (to test escaping). */
  lbName?: string;
  poolName?: string;
  /** Scales capacity per instance (a "better" policy in compare tests). */
  perInstance?: number;
  price?: number;
  minInstances?: number;
  maxInstances?: number;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const zeroErrors = (): ErrorCounts => completeErrors({});

function latencySummary(p50: number, scale: number, count: number): LatencySummary {
  const q = (p: number) => r4(p50 * (1 + scale * ((1 / (1 - Math.min(p, 99.999) / 100)) ** 0.55 - 1.46) / 10));
  const ps = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 98.75, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 100];
  const distribution = ps.map((p) => [Math.max(0.001, q(p)), p, Math.round((count * p) / 100)] as [number, number, number]);
  const at = (p: number) => distribution.find((d) => d[1] === p)![0];
  return {
    count, mean: r4(at(50) * 1.2), p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9),
    max: r4(at(99.99) * 1.8), distribution: distribution.map((d, i) => (i === ps.length - 1 ? [r4(at(99.99) * 1.8), 100, count] : d)),
  };
}

export function makeRun(o: FixtureOpts = {}): { summary: RunSummary; rows: SeriesRow[] } {
  const D = o.duration ?? 6 * 3600;
  const I = o.interval ?? 30;
  const lb = o.lbName ?? 'edge';
  const api = o.poolName ?? 'api';
  const per = o.perInstance ?? 32;
  const price = o.price ?? 0.192;
  const minI = o.minInstances ?? 3;
  const maxI = o.maxInstances ?? 12;
  const extra = Array.from({ length: o.extraPools ?? 0 }, (_, k) => `worker-${k + 1}`);
  const n = Math.round(D / I);
  const offeredAt = (t: number) => {
    const s = Math.sin((Math.PI * t) / D) ** 2;
    return t < D / 2 ? 65 + 335 * s : 85 + 315 * s;
  };
  const rows: SeriesRow[] = [];
  const names = new BottleneckTracker();
  const scaling: ScalingEvent[] = [];
  let desired = minI;
  let ready = minI;
  let readyAt: Array<[number, number]> = []; // [time ready, count]
  let lastDecision = -Infinity;
  let apiCost = 0;
  const extraCost = extra.map(() => 0);
  const extraPeak = extra.map(() => 2);
  const tot = { arrivals: 0, completions: 0, errors: zeroErrors(), apiCompl: 0, lbFwd: 0 };
  let worst = { time: 0, p99: 0 };
  let peakApi = minI;
  let apiUtilSum = 0, apiQueueSum = 0, apiInstSum = 0;
  // what the policy acted on at its last decision: cpu utilisation vs its 70 % target, and its wish before max
  let wanted: number | null = null, seen: number | null = null;
  const pinned = { seconds: 0, from: -1, peakWanted: 0, peakTime: 0, peakSeen: 0 };
  let markedDown = 0;
  for (let i = 1; i <= n; i++) {
    const t = i * I;
    const offered = r4(offeredAt(t - I / 2));
    // autoscaler: target 70 % of capacity, decides once a minute from the load two minutes ago
    if (t - lastDecision >= 60) {
      lastDecision = t;
      const raw = Math.ceil(offeredAt(Math.max(0, t - 120)) / (per * 0.7));
      const want = Math.max(minI, Math.min(maxI, raw));
      wanted = raw;
      seen = Math.round((offeredAt(Math.max(0, t - 120)) / (ready * per)) * 100);
      if (raw > maxI && desired === maxI) {
        if (pinned.from < 0) pinned.from = t;
        pinned.seconds += 60;
        if (raw > pinned.peakWanted) Object.assign(pinned, { peakWanted: raw, peakTime: t, peakSeen: seen });
      }
      if (want !== desired) {
        const util = seen;
        scaling.push({
          time: t, pool: api, from: desired, to: want, rule: want > desired ? 'target-tracking: scale out' : 'target-tracking: scale in',
          reasons: [`utilisation ${util}% vs target 70%`, `desired ${want} within [${minI}, ${maxI}]`],
          unclamped: raw, observed: [{ metric: 'cpu utilization', threshold: 'target', op: 'target', value: util, target: 70, unit: '%' }],
        });
        if (want > desired) readyAt.push([t + 90, want - desired]);
        else ready -= desired - want;
        desired = want;
      }
    }
    readyAt = readyAt.filter(([at, k]) => (at <= t ? ((ready += k), false) : true));
    peakApi = Math.max(peakApi, ready);
    const cap = ready * per;
    const u = Math.min(1, offered / cap);
    const served = r4(Math.min(offered, cap * 0.995));
    const shortfall = Math.max(0, offered - served);
    const timeouts = Math.round(shortfall * I * 0.8);
    const backlog = Math.round(shortfall * I) - timeouts;
    const marked = Math.min(backlog, ready);
    markedDown += marked;
    const p50 = r4(0.035 / (1 - 0.85 * u));
    const p95 = r4(p50 * 2.4 + (u > 0.95 ? 0.6 : 0));
    const p99 = r4(p50 * 3.6 + (u > 0.95 ? 1.2 : 0));
    const pmax = r4(p99 * 1.7);
    const queue = r4((u ** 4 / (1 - u + 0.03)) * ready);
    apiCost += (ready * price * I) / 3600;
    apiUtilSum += u; apiQueueSum += queue; apiInstSum += ready;
    const arrivals = Math.round(offered * I);
    tot.arrivals += arrivals;
    tot.completions += Math.round(served * I);
    tot.errors.timeout += timeouts;
    tot.errors.backlogFull += backlog;
    if (p99 > worst.p99) worst = { time: t, p99 };
    const e2e = (x: number) => r4(x + 0.002);
    const first = rows.length; // this interval's rows start with _all
    rows.push({
      time: t, component: '_all', offered, throughput: served,
      ...errorColumns({ backlogFull: backlog, timeout: timeouts }),
      latency_p50: e2e(p50), latency_p95: e2e(p95), latency_p99: e2e(p99), latency_max: e2e(pmax),
      in_flight: Math.round(offered * p50 + queue), queue_mean: queue, utilisation: null,
      instances_desired: null, instances_ready: null, instances_total: null, cost: r4(apiCost + extraCost.reduce((a, b) => a + b, 0)),
      wanted: null, marked_down: null, hit_ratio: null, oldest_age: null, calls: null, call_retries: null, waiting_share: null, bottleneck_util: null, bottleneck_queue: null,
    });
    rows.push({
      time: t, component: lb, offered, throughput: offered,
      ...errorColumns({}),
      latency_p50: null, latency_p95: null, latency_p99: null, latency_max: null,
      in_flight: 0, queue_mean: 0, utilisation: null, instances_desired: null, instances_ready: null, instances_total: null, cost: null,
      wanted: null, marked_down: marked, hit_ratio: null, oldest_age: null, calls: null, call_retries: null, waiting_share: null, bottleneck_util: null, bottleneck_queue: null,
    });
    rows.push({
      time: t, component: api, offered, throughput: served,
      ...errorColumns({ backlogFull: backlog, timeout: timeouts }),
      latency_p50: p50, latency_p95: p95, latency_p99: p99, latency_max: pmax,
      in_flight: Math.round(offered * p50 + queue), queue_mean: queue, utilisation: r4(u),
      instances_desired: desired, instances_ready: ready, instances_total: Math.max(desired, ready), cost: r4(apiCost),
      wanted, marked_down: null, hit_ratio: null, oldest_age: null, calls: null, call_retries: null, waiting_share: null, bottleneck_util: null, bottleneck_queue: null,
      ...(seen === null ? {} : { policy: { 'observed:cpu utilization': seen, 'threshold:cpu utilization:target': 70 } }),
    });
    extra.forEach((name, k) => {
      const share = 0.15 + 0.05 * k;
      const inst = 2 + Math.floor((offered * share) / 40);
      extraPeak[k] = Math.max(extraPeak[k]!, inst);
      const uu = Math.min(1, (offered * share) / (inst * 40));
      extraCost[k]! += (inst * 0.096 * I) / 3600;
      rows.push({
        time: t, component: name, offered: r4(offered * share), throughput: r4(offered * share),
        ...errorColumns({}),
        latency_p50: r4(0.01 / (1 - 0.8 * uu)), latency_p95: r4(0.025 / (1 - 0.8 * uu)), latency_p99: r4(0.04 / (1 - 0.8 * uu)), latency_max: r4(0.06 / (1 - 0.8 * uu)),
        in_flight: 1, queue_mean: r4(uu ** 3), utilisation: r4(uu), instances_desired: inst, instances_ready: inst, instances_total: inst, cost: r4(extraCost[k]!),
        wanted: null, marked_down: null, hit_ratio: null, oldest_age: null, calls: null, call_retries: null, waiting_share: null, bottleneck_util: null, bottleneck_queue: null,
      });
    });
    // the bottleneck as the simulator names it, from this interval's component rows
    const at = rows.slice(first);
    names.observe(t, at.slice(1), at[0]!);
  }
  const errTotal = tot.errors.timeout + tot.errors.backlogFull;
  const lat = latencySummary(0.06, 1, tot.completions);
  lat.p99 = 0.4123;
  const components: Record<string, ComponentSummary> = {};
  components[lb] = {
    kind: 'loadBalancer', arrivals: tot.arrivals, forwarded: tot.arrivals, retries: 12, errors: zeroErrors(), perPeer: { [`${api}-1`]: 1000 },
    causes: {
      pool: api, maxFails: 1, failTimeout: 10, nginxDefaults: true, refused: tot.errors.backlogFull, timedOut: tot.errors.timeout, drainKilled: 0,
      markedDown, noLiveUpstreams: 0,
    },
  } satisfies BalancerSummary;
  components[api] = {
    kind: 'pool', arrivals: tot.arrivals, completions: tot.completions, errors: { ...tot.errors },
    latency: latencySummary(0.055, 1, tot.completions), wait: { mean: 0.012, probWait: 0.31, count: tot.completions },
    utilisation: r4(apiUtilSum / n), meanQueue: r4(apiQueueSum / n), meanInPool: r4(apiQueueSum / n + 8),
    instances: { min: minI, max: peakApi, mean: r4(apiInstSum / n), final: ready }, instanceHours: r4((apiInstSum * I) / 3600),
    cost: r4(apiCost), pricePerHour: price,
    autoscaling: {
      policy: 'hpa', min: minI, max: maxI,
      figures: [{ metric: 'cpu utilization', threshold: 'target', op: 'target', value: seen, target: 70, unit: '%' }],
      pinnedAtMax: pinned.from < 0 ? null : {
        seconds: pinned.seconds, from: pinned.from, peakWanted: pinned.peakWanted, peakTime: pinned.peakTime,
        peakFigures: [{ metric: 'cpu utilization', threshold: 'target', op: 'target', value: pinned.peakSeen, target: 70, unit: '%' }],
      },
    },
  } satisfies PoolSummary;
  extra.forEach((name, k) => {
    components[name] = {
      kind: 'pool', arrivals: 1000, completions: 1000, errors: zeroErrors(), latency: latencySummary(0.012, 0.5, 1000),
      wait: { mean: 0.001, probWait: 0.05, count: 1000 }, utilisation: 0.5, meanQueue: 0.1, meanInPool: 1.2, instances: { min: 2, max: extraPeak[k]!, mean: 3, final: 2 }, instanceHours: 10,
      cost: r4(extraCost[k]!), pricePerHour: 0.096,
    } satisfies PoolSummary;
  });
  const costTotal = r4(apiCost + extraCost.reduce((a, b) => a + b, 0));
  const errorRate = errTotal / (tot.completions + errTotal);
  const summary: RunSummary = {
    headroom: '0.1.0',
    format: 1,
    scenario: {
      name: o.name ?? 'Checkout API — diurnal weekday',
      description: o.description ?? 'A weekday of checkout traffic through the edge balancer into the autoscaled api pool.',
      file: 'scenarios/checkout.yaml', seed: 42, duration: D, warmup: 300, sampleInterval: I,
      ...(o.startTime ? { startTime: o.startTime } : {}),
    },
    totals: {
      arrivals: tot.arrivals, completions: tot.completions, errors: tot.errors, errorRate,
      inFlight: 3, throughput: tot.completions / D, offeredRate: tot.arrivals / D, meanInSystem: 12.5, meanResponse: 0.081,
    },
    latency: lat,
    components,
    cost: { total: costTotal, currency: 'USD', instanceHours: r4((apiInstSum * I) / 3600) },
    peakInstances: { [api]: peakApi, ...Object.fromEntries(extra.map((e, k) => [e, extraPeak[k]!])) },
    worstInterval: worst,
    bottleneck: names.summary(),
    slo: [
      { name: 'checkout p99 under 250 ms', metric: 'latency.p99', op: '<=', threshold: 0.25, value: lat.p99, pass: lat.p99 <= 0.25 },
      { name: 'error budget', metric: 'errorRate', op: '<=', threshold: 0.01, value: errorRate, pass: errorRate <= 0.01 },
      { name: 'daily spend', metric: 'cost', op: '<=', threshold: 400, value: costTotal, pass: costTotal <= 400 },
    ],
    scaling,
    scenarioSource: {
      name: o.name ?? 'Checkout API — diurnal weekday',
      duration: `${D}s`,
      traffic: { shape: 'diurnal', peak: '400/s', trough: '80/s' },
      components: [
        { name: lb, kind: 'loadBalancer', upstream: api },
        { name: api, kind: 'pool', instances: { min: minI, max: maxI }, perInstance: per, price },
        ...extra.map((e) => ({ name: e, kind: 'pool' })),
      ],
      slo: [{ 'latency.p99': '<= 250ms' }, { errorRate: '<= 1%' }],
    },
  };
  return { summary, rows };
}
