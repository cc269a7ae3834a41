// npm run bench:engine — the simulator's speed on the M/M/c scenario (scenarios/mmc.yaml) against
// two references measured in the same rounds: the same model in SimPy 3 (bench/simpy_mmc.py,
// Debian's python3-simpy3), and the kernel alone (bench/bare-heap.ts: src/sim's heap, streams and
// sampler doing the same event pattern with no model).
//
//   npm run bench:engine -- [--rounds 7] [--customers 3000000] [--simpy-customers 300000]
//                           [--baseline DIR] [--no-simpy] [--no-memory]
//
// Each round runs every contender once, each in a fresh process, in an order rotated from round to
// round; a ratio is taken within a round (the two ran seconds apart on the same machine state) and
// reported as min and median over rounds. Rates are customers per CPU second (user + system of
// the process over the run, JIT warm-up excluded): on a shared machine CPU time moves far less
// than wall time. --baseline DIR puts another checkout's engine (say, the commit before a change)
// in the same rounds. Memory: peak RSS of the engine at 1 M and 10 M customers; it must not grow.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const rounds = arg('rounds', 7);
const customers = arg('customers', 3_000_000);
const simpyCustomers = arg('simpy-customers', 300_000);
const bi = process.argv.indexOf('--baseline');
const baseline = bi >= 0 ? path.resolve(process.argv[bi + 1]) : null;

const mmc = loadScenario(path.join(root, 'scenarios/mmc.yaml'));
const pool = mmc.components[0];
const lambda = mmc.workload.model === 'open' && mmc.workload.rate.kind === 'constant' ? mmc.workload.rate.rate : NaN;
const meanService = pool.kind === 'pool' && pool.serviceTime.kind === 'exponential' ? pool.serviceTime.mean : NaN;
if (!(lambda > 0) || !(meanService > 0) || pool.kind !== 'pool' || pool.instances !== 1) {
  throw new Error('scenarios/mmc.yaml: expected one pool of one instance, exponential service, a constant arrival rate');
}
const servers = pool.workers;

interface Run { customers: number; cpu: number; wall: number; peakRssMb: number; meanWait: number }
const node = (...args: string[]) => (): Run =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'engine-child.ts'), ...args], { cwd: root, encoding: 'utf8' }));

const python = '/usr/bin/python3';
let simpy = !process.argv.includes('--no-simpy') && existsSync(python);
if (simpy) {
  try { execFileSync(python, ['-c', 'import simpy'], { stdio: 'ignore' }); } catch { simpy = false; }
  if (!simpy) console.log('simpy: skipped, SimPy 3 is not importable by /usr/bin/python3 (apt-get install python3-simpy3)');
}

const contenders: Array<[string, () => Run]> = [['headroom', node('headroom', root, String(customers))]];
if (baseline) contenders.push(['baseline', node('headroom', baseline, String(customers))]);
if (simpy) {
  contenders.push(['simpy', () => {
    const r = JSON.parse(execFileSync(python, [path.join(here, 'simpy_mmc.py'), String(simpyCustomers), String(lambda), String(1 / meanService), String(servers), '1'], { encoding: 'utf8' }));
    return { customers: r.customers, cpu: r.cpu, wall: r.seconds, peakRssMb: r.peak_rss_kb / 1024, meanWait: r.mean_wait };
  }]);
}
contenders.push(['bare heap', node('bare', String(customers), String(lambda), String(meanService), String(servers))]);

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const ratios: Array<[string, string, string]> = [['headroom', 'simpy', '×'], ['headroom', 'bare heap', '%'], ['headroom', 'baseline', '×']];
console.log(`headroom engine benchmark: ${mmc.name} (M/M/${servers}, λ=${lambda}/s, mean service ${meanService} s), node ${process.version}`);
console.log(`rates are customers per CPU second; ${fmt(customers)} customers per headroom and bare-heap run, ${fmt(simpyCustomers)} per SimPy run`);
const rates = new Map<string, number[]>(contenders.map(([n]) => [n, []]));
const show = (name: string, x: number, unit: string) => (unit === '%' ? `${name} ${(100 * x).toFixed(0)}%` : `${name} ${x.toFixed(1)}×`);
for (let r = 0; r < rounds; r++) {
  const got = new Map<string, Run>();
  for (let k = 0; k < contenders.length; k++) {
    const [name, run] = contenders[(r + k) % contenders.length];
    got.set(name, run());
  }
  const parts = contenders.map(([name]) => {
    const g = got.get(name)!, rate = g.customers / g.cpu;
    rates.get(name)!.push(rate);
    return `${name} ${fmt(rate)}/s (wait ${g.meanWait.toFixed(3)} s)`;
  });
  const rs = ratios.filter(([a, b]) => got.has(a) && got.has(b)).map(([a, b, u]) => show(b === 'bare heap' ? 'of bare heap' : `/${b}`, rates.get(a)!.at(-1)! / rates.get(b)!.at(-1)!, u));
  console.log(`round ${r + 1}  ${parts.join('  ')}  headroom ${rs.join(', ')}`);
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(`over ${rounds} rounds (min / median):`);
for (const [name] of contenders) console.log(`  ${name.padEnd(10)} ${fmt(Math.min(...rates.get(name)!)).padStart(11)} / ${fmt(median(rates.get(name)!)).padStart(11)} customers per CPU second`);
for (const [a, b, u] of ratios) {
  if (!rates.has(a) || !rates.has(b)) continue;
  const per = rates.get(a)!.map((x, i) => x / rates.get(b)![i]);
  const f = (x: number) => (u === '%' ? `${(100 * x).toFixed(0)}%` : `${x.toFixed(1)}×`);
  console.log(`  ${a} / ${b}: ${f(Math.min(...per))} / ${f(median(per))} (within each round)`);
}

if (!process.argv.includes('--no-memory')) {
  const small = node('headroom', root, '1000000')(), large = node('headroom', root, '10000000')();
  console.log(`memory: peak RSS ${small.peakRssMb.toFixed(0)} MB at ${fmt(small.customers)} customers, ${large.peakRssMb.toFixed(0)} MB at ${fmt(large.customers)} (ratio ${(large.peakRssMb / small.peakRssMb).toFixed(2)} for 10× the customers)`);
}
