// headroom bench as a user runs it: the real CLI as a child process, a real stack, real files.
// The run follows the scenario's step curve, nginx spreads it as the weights say, and no process
// of the stack outlives the run — whether it ends, is interrupted, or is killed.
import t, { type Test } from 'tap';
import { createServer } from 'node:net';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine } from '../../src/bench/access-log.ts';
import { cleanStale } from '../../src/bench/stale.ts';
import { readSeriesCsv } from '../../src/report/series-csv.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { scaledCurve } from '../../src/bench/plan.ts';
import { headroom, noProcessesUnder, poissonBounds, processesUp, scheduled, tempDir } from './helpers.ts';

const tmp = tempDir('bench-cli');
const registry = join(tmp, 'registry');
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

// 10 s: 20 req/s, 60 from t = 4 s, 30 from t = 7 s. Three instances behind weights 5,1,1.
const stepFile = join(import.meta.dirname, '../../scenarios/bench/steps.yaml');
const stepRate = (t: number) => (t < 4 ? 20 : t < 7 ? 60 : 30);

t.test('a 10 s step curve: the series has its shape, nginx spreads by weight, nothing is left', async (t) => {
  const out = join(tmp, 'steps-out');
  const run = headroom(['bench', stepFile, '--duration', '10s', '--out', out, '--no-html'], registry);
  const r = await run.out;
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /measured on a live stack/);
  for (const f of ['summary.json', 'timeseries.csv', 'nginx.conf', 'access.log', 'error.log', 'cpu.csv', 'generator.csv']) t.ok(existsSync(join(out, f)), f);
  t.notOk(readdirSync(out).some((f) => f.startsWith('.stack-')), 'the private prefix is gone');
  t.same(await noProcessesUnder(out), [], 'no nginx or upstream process left after the run');

  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  t.equal(s.source, 'measured');
  t.equal(s.scenario.duration, 10);
  t.equal(s.bench.timeScale, 1);

  // The curve's shape. The schedule (the driver's own arrival process and stream, recomputed here)
  // has a Poisson count of the step's rate in each 1 s interval.
  const due = scheduled(scaledCurve(loadScenario(stepFile), 1), s.scenario.seed, 10);
  for (let i = 0; i < 10; i++) {
    const n = due.filter((x) => x >= i && x < i + 1).length, [lo, hi] = poissonBounds(stepRate(i + 0.5));
    t.ok(n >= lo && n <= hi, `t=${i}–${i + 1} s: ${n} due, within [${lo}, ${hi}] of Poisson(${stepRate(i + 0.5)})`);
  }
  // What reached nginx is that schedule, late by no more than the generator measured: a request
  // reaches nginx no sooner than it is due (3 ms: two millisecond clocks), and no later than its
  // answer came back, so no later than the worst send lag plus the slowest answer. Load makes these
  // measured delays longer, not the check wrong; a generator that sends early or drops requests,
  // or a series that puts them in the wrong interval, fails it.
  const rows = readSeriesCsv(readFileSync(join(out, 'timeseries.csv'), 'utf8'));
  const nginx = rows.filter((x) => x.component === 'lb');
  t.equal(nginx.length, 10);
  const shift = s.bench.lag.max + s.bench.latencyFromSend.max;
  const dueBy = (b: number) => due.filter((x) => x < b).length;
  let seen = 0;
  for (const row of nginx) {
    seen += row.offered * 1;
    const [lo, hi] = [dueBy(row.time - shift) - s.totals.inFlight, dueBy(row.time + 0.003)];
    t.ok(seen >= lo && seen <= hi, `by t=${row.time}: ${seen} requests at nginx, between the ${lo} due by ${(row.time - shift).toFixed(3)} s and the ${hi} due by then`);
  }
  // Each step's mean level, over its whole span, is told apart from the neighbouring ones.
  const level = (a: number, b: number) => nginx.filter((x) => x.time > a && x.time <= b).reduce((q, x) => q + x.offered, 0) / (b - a);
  t.ok(level(0, 4) < level(4, 7) && level(7, 10) < level(4, 7) && level(0, 4) < level(7, 10), `levels ${level(0, 4)}, ${level(4, 7)}, ${level(7, 10)}`);

  // Weights: smooth weighted round robin gives every peer within one request of its share.
  const lines = readFileSync(join(out, 'access.log'), 'utf8').trim().split('\n').map((l, i) => parseLine(l, i + 1));
  const counts = new Map<string, number>();
  for (const l of lines) for (const tr of l.tries) counts.set(tr.addr, (counts.get(tr.addr) ?? 0) + 1);
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  const upstream = readFileSync(join(out, 'nginx.conf'), 'utf8').match(/server 127\.0\.0\.1:\d+ weight=\d/g)!.map((x) => x.split(/[ =]/));
  t.equal(upstream.length, 3);
  for (const [, addr, , w] of upstream) {
    const want = (n * Number(w)) / 7;
    t.ok(Math.abs((counts.get(addr) ?? 0) - want) <= 1, `${addr} weight ${w}: ${counts.get(addr)} of ${n} (share ${want.toFixed(1)})`);
  }
  // The summary leaves out requests that started at or after the run's end (the simulator stops at
  // its horizon too): it counts the tries of the log's first lines in start order, all but a tail
  // that started in the run's last moment.
  const byStart = lines.map((l) => ({ start: l.msec - l.requestTime, tries: l.tries.length })).sort((a, b) => a.start - b.start);
  const kept = s.components.lb.forwarded as number;
  let k = 0, sum = 0;
  while (k < byStart.length && sum < kept) sum += byStart[k++].tries;
  t.equal(sum, kept, `the summary's ${kept} tries are those of the first ${k} of ${byStart.length} requests by start`);
  // (That the cut is at the run's end, not before, is the last interval's check above: the
  // requests kept include all but those due within the generator's measured delays of the end.)
  t.equal(lines.length, s.bench.sent + s.bench.resent, 'every request the generator wrote is one line of the log');
  t.ok(lines.every((l) => l.remoteAddr.startsWith('10.')), 'client addresses reach nginx through realip');
});

/** Starts a long bench, waits until its whole stack runs, and returns the child and its out dir; a test that fails first kills it. */
async function startLong(t: Test, tag: string) {
  const out = join(tmp, tag);
  const run = headroom(['bench', stepFile, '--duration', '60s', '--out', out, '--no-html'], registry);
  t.teardown(() => { if (run.exitCode === null && run.signalCode === null) run.kill('SIGKILL'); }); // its stack goes with it (pdeathsig)
  await processesUp(out, 5); // nginx master + worker, three upstreams
  return { run, out };
}

t.test('SIGINT: the stack is stopped, nothing written, exit 130', async (t) => {
  const { run, out } = await startLong(t, 'sigint');
  run.kill('SIGINT');
  const r = await run.out;
  t.equal(r.code, 130, r.stderr);
  t.match(r.stderr, /interrupted by SIGINT/);
  t.same(await noProcessesUnder(out), [], 'no process left');
  t.notOk(existsSync(join(out, 'summary.json')));
  t.notOk(existsSync(out) && readdirSync(out).length > 0, 'nothing written');
});

t.test('SIGKILL: the kernel ends the stack with headroom; the next start cleans its record', async (t) => {
  const { run, out } = await startLong(t, 'sigkill');
  run.kill('SIGKILL');
  await run.out;
  t.same(await noProcessesUnder(out), [], 'no process left (pdeathsig)');
  const prefix = readdirSync(out).find((f) => f.startsWith('.stack-'));
  t.ok(prefix, 'the killed run left its prefix behind');
  process.env.HEADROOM_STACK_REGISTRY = registry;
  const cleaned = await cleanStale();
  t.same(cleaned.map((c) => c.prefix), [join(out, prefix!)]);
  t.notOk(existsSync(join(out, prefix!)), 'and the next start removed it');
});

t.test('bad input: one line, exit 2, nothing written, nothing left running', async (t) => {
  const busy = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => busy.once('listening', r));
  t.teardown(() => busy.close());
  const port = (busy.address() as { port: number }).port;
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['nginx missing', [], { HEADROOM_NGINX: '/nonexistent/nginx' }, /^headroom: \/nonexistent\/nginx: nginx not found/],
    ['port in use', ['--port', String(port)], {}, new RegExp(`^headroom: --port: 127\\.0\\.0\\.1:${port} is in use`)],
    ['remote target', ['--target', 'http://example.com/'], {}, /^headroom: --target: example\.com is not an IPv4 loopback address/],
    ['bad duration', ['--duration', 'soon'], {}, /^headroom: --duration: expected a duration/],
  ];
  for (const [what, args, env, msg] of cases) {
    const out = join(tmp, `bad-${what.replace(/ /g, '-')}`);
    const r = await headroom(['bench', stepFile, '--out', out, ...args], registry, env).out;
    t.equal(r.code, 2, `${what}: exit 2`);
    t.match(r.stderr, msg, what);
    t.equal(r.stderr.trim().split('\n').length, 1, `${what}: one line`);
    t.notOk(existsSync(out), `${what}: nothing written`);
  }
});
