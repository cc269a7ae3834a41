// npm run bench:work — the unit costs behind the work-size guard (src/model/work-size.ts), which
// estimates a run before it starts and refuses what cannot finish or fit. Measures, on this
// machine, in one process:
//   CPU per request and per visit   the Saler stack (two nginx with limit_req, two pools, a two-class
//                             mix: 2 components per request), plain M/M/c (1) and saler-full (4.6:
//                             CDN, nginx, web, API, Redis, app, PostgreSQL), series rows made
//                             negligible; the visits are the estimate's own (src/model/visits.ts);
//   CSV bytes per row         of timeseries.csv as written;
//   CPU and memory per row    of the time series, end to end: `headroom run` in a child process,
//                             summary.json, timeseries.csv and index.html built and written;
//   CPU per instance scrape   and heap per instance, an autoscaled pool of 2,000 instances, no traffic.
// CPU is user + system time of this process (process.cpuUsage), so a busy machine inflates it
// less than wall time; heap is heapUsed after a full GC (run with --expose-gc, as the script does).
//
//   npm run bench:work
import { loadScenario, parseScenario, type Scenario } from '../src/scenario/index.ts';
import { Simulation, runScenario } from '../src/model/index.ts';
import { visitsPerRequest } from '../src/model/visits.ts';
import { writeSeriesCsv } from '../src/report/series-csv.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Child mode: run the command line as a user does, then report this process's CPU and peak RSS.
if (process.argv[2] === '--child') {
  process.argv = [process.argv[0], 'headroom', 'run', process.argv[3], '--out', process.argv[4], '--force'];
  process.on('exit', () => {
    const u = process.resourceUsage();
    process.stdout.write(`\n${JSON.stringify({ rss: u.maxRSS * 1024, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 })}\n`);
  });
  await import('../src/cli/main.ts');
} else {
  await main();
}

function cpu<T>(fn: () => T): { value: T; seconds: number } {
  const a = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(a);
  return { value, seconds: (d.user + d.system) / 1e6 };
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function fmt(x: number, unit: string): string {
  return `${x.toPrecision(3)} ${unit}`;
}

async function main(): Promise<void> {
  if ((globalThis as { gc?: () => void }).gc === undefined) throw new Error('run with node --expose-gc (npm run bench:work does)');

  // ---- per request
  for (const [file, hours] of [['scenarios/saler-baseline.yaml', 3], ['scenarios/mmc.yaml', 96], ['scenarios/saler-full.yaml', 1]] as const) {
    const base = loadScenario(file);
    const sc: Scenario = { ...base, duration: hours * 3600, warmup: 0, sampleInterval: hours * 3600 };
    runScenario({ ...sc, duration: 600, sampleInterval: 600 }); // warm the JIT
    const { value, seconds } = cpu(() => runScenario(sc));
    const n = value.summary.totals.arrivals;
    const visits = visitsPerRequest(sc);
    console.log(`${file}: ${n} requests in ${seconds.toFixed(2)} s CPU → ${fmt(seconds / n * 1e6, 'µs')} per request (${(n / seconds / 1e6).toFixed(2)} M requests/s), ` +
      `${visits.toFixed(2)} visits each → ${fmt(seconds / n / visits * 1e6, 'µs')} per visit`);
  }

  // ---- CSV bytes per row, as a busy run writes them (an idle one writes mostly zeros: shorter)
  {
    const { rows } = runScenario(loadScenario('scenarios/saler-baseline.yaml'));
    console.log(`timeseries.csv of saler-baseline: ${fmt(writeSeriesCsv(rows).length / rows.length, 'bytes')} per row (${rows.length} rows)`);
  }

  // ---- per series row, end to end: `headroom run` in a child process (simulation, summary.json,
  // timeseries.csv, index.html), no traffic, 1 s samples, at two lengths; the slope between them is
  // the cost of a row, start-up and fixed costs cancel. Peak RSS, since the CSV and the report are
  // built in memory before they are written.
  {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-bench-work-'));
    try {
      const measure = (days: number) => {
        const file = join(dir, `rows-${days}.yaml`);
        writeFileSync(file, `duration: ${days}d\nsampleInterval: 1s\ntraffic: { rate: 0 }\ncomponents:\n  web: { kind: pool, instances: 1, serviceTime: 10ms }\n`);
        const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', file, join(dir, `out-${days}`)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`child run failed: ${r.stderr}`);
        const usage = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rss: number; cpu: number };
        return { rows: days * 86400 * 2, ...usage };
      };
      const a = measure(1), b = measure(4);
      const rows = b.rows - a.rows;
      console.log(`headroom run, ${a.rows} → ${b.rows} rows: ${fmt((b.cpu - a.cpu) / rows * 1e6, 'µs')} of CPU and ` +
        `${fmt((b.rss - a.rss) / rows, 'bytes')} of peak RSS per row (peak RSS ${(a.rss / 2 ** 20).toFixed(0)} and ${(b.rss / 2 ** 20).toFixed(0)} MiB)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // ---- per instance scrape: an HPA holding 2,000 instances (min = max), no traffic
  {
    const n = 2000, hours = 6;
    const sc = parseScenario({
      duration: `${hours}h`, sampleInterval: `${hours}h`,
      traffic: { rate: 0 },
      components: {
        web: {
          kind: 'pool', instances: n, serviceTime: '10ms', metrics: { scrapeInterval: '15s', window: '60s' },
          autoscaling: {
            apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
            spec: {
              scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: n, maxReplicas: n,
              metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
            },
          },
        },
      },
    }, 'bench.yaml', '.');
    // The simulation is kept alive after its run, so its instances and the scaler's metric history count.
    const before = heap();
    const sim = new Simulation(sc);
    const { seconds } = cpu(() => sim.run());
    const after = heap();
    const scrapes = n * (hours * 3600) / 15;
    console.log(`instances: ${n} instances scraped ${scrapes} times in ${seconds.toFixed(2)} s CPU → ${fmt(seconds / scrapes * 1e6, 'µs')} per instance scrape, ` +
      `${fmt((after - before) / n, 'bytes')} of heap per instance`);
  }
}
