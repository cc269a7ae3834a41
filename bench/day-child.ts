// The measured part of bench/day.ts, in a process of its own: load the scenario with the day's
// overrides, then — measured — simulate it, summarise it and write its timeseries.csv text (as
// `headroom run --no-html`, minus the disk). Prints one JSON line.
//   node --import tsx bench/day-child.ts FILE OVERRIDE…
import { loadScenario } from '../src/scenario/index.ts';
import { runScenario } from '../src/model/index.ts';
import { writeSeriesCsv } from '../src/report/series-csv.ts';
import { bottleneckLine } from '../src/report/bottleneck.ts';

const [file, ...set] = process.argv.slice(2);
const scenario = loadScenario(file!, { set });
const rssBefore = process.memoryUsage().rss;
const cpu0 = process.cpuUsage(), t0 = performance.now();
const { summary, rows } = runScenario(scenario);
const csv = writeSeriesCsv(rows);
const cpu = process.cpuUsage(cpu0), wall = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({
  name: scenario.name,
  components: scenario.components.length,
  arrivals: summary.totals.arrivals,
  seconds: scenario.duration,
  cpu: (cpu.user + cpu.system) / 1e6,
  user: cpu.user / 1e6,
  system: cpu.system / 1e6,
  wall,
  rssBeforeMb: rssBefore / 2 ** 20,
  peakRssMb: process.resourceUsage().maxRSS / 1024, // kB on Linux
  rows: rows.length,
  csvMb: csv.length / 2 ** 20,
  bottleneck: bottleneckLine(summary, (t) => `t=${t.toFixed(0)} s`),
})}\n`);
