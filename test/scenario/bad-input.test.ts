// Inputs of issue 8 (points 1, 3, 4, 8, 9, 13) at the loader: each refused with its file, field
// and what was expected — or, for clock times, placed at the right simulated second.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { defaultName, MAX_DESCRIPTION } from '../../src/scenario/parse.ts';
import { runScenario } from '../../src/model/index.ts';
import { compileCurve } from '../../src/traffic/curve.ts';
import { messageOf, minimal } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-badinput-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const NAME_EXPECTED = 'expected a name of letters, digits, ".", "-" and "_" that starts with a letter or digit, at most 100 characters (results go to reports/<name>)';

const parse = (change: (s: Record<string, any>) => void) => () => {
  const s = minimal();
  change(s);
  return parseScenario(s, 'x.yaml', dir);
};

t.test('a name is one safe path segment (results go to reports/<name>)', async (t) => {
  for (const bad of ['../../../tmp/x', '..', '.', 'a/b', '.hidden', 'a\\b', '', 'x'.repeat(101)]) {
    t.equal(messageOf(parse((s) => (s.name = bad))), `x.yaml: name: ${NAME_EXPECTED}, got ${JSON.stringify(bad).length > 60 ? `${JSON.stringify(bad).slice(0, 59)}…` : JSON.stringify(bad)}`, JSON.stringify(bad));
  }
  t.equal(parseScenario({ ...minimal(), name: 'v1.2_black-friday' }, 'x.yaml', dir).name, 'v1.2_black-friday');
  t.equal(defaultName('scenarios/my run!.yaml'), 'my-run-');
  t.equal(defaultName('../..yaml'), 'scenario', 'a file name that is all dots');
  t.equal(defaultName('/x/.hidden.yaml'), 'hidden');
});

t.test('a description is capped (a 50 MB one cost 2.5 GB, stored twice)', async (t) => {
  t.equal(parseScenario({ ...minimal(), description: 'd'.repeat(MAX_DESCRIPTION) }, 'x.yaml', dir).description.length, MAX_DESCRIPTION);
  t.equal(messageOf(parse((s) => (s.description = 'd'.repeat(50_000)))), `x.yaml: description: expected a string of at most ${MAX_DESCRIPTION} characters, got 50,000 characters`);
  const file = join(dir, 'huge.yaml');
  writeFileSync(file, `description: ${'d'.repeat(50 * 2 ** 20)}\nduration: 1h\n`);
  t.equal(messageOf(() => loadScenario(file)), `${file}: is 50 MiB, over the 1 MiB headroom reads for scenario files`, 'the file cap comes first');
});

t.test('numbers that overflow to Infinity name their field', async (t) => {
  const digits = '9'.repeat(400);
  const yaml = join(dir, 'inf.yaml');
  writeFileSync(yaml, `duration: 1h\ntraffic: { rate: ${digits} }\ncomponents:\n  web: { kind: pool, instances: 1, serviceTime: 10ms }\n`);
  t.equal(messageOf(() => loadScenario(yaml)), `${yaml}: traffic.rate: expected a finite number, got Infinity (more digits than a double holds, or .inf/.nan)`);
  const json = join(dir, 'inf.json');
  writeFileSync(json, `{"duration":"1h","traffic":{"rate":1},"components":{"web":{"kind":"pool","instances":${digits},"serviceTime":"10ms"}}}`);
  t.equal(messageOf(() => loadScenario(json)), `${json}: components.web.instances: expected a finite number, got Infinity (more digits than a double holds, or .inf/.nan)`);
  writeFileSync(yaml, 'duration: 1h\ntraffic: { rate: 1 }\ncomponents:\n  web: { kind: pool, instances: 1, backlog: .inf, serviceTime: 10ms }\n');
  t.match(messageOf(() => loadScenario(yaml)), /: components\.web\.backlog: expected a finite number, got Infinity/, 'YAML .inf is no way to say unlimited');
  t.match(messageOf(parse((s) => (s.duration = `${digits}h`))), /^x\.yaml: duration: expected a duration with a unit.*, got a number too large to compute with/);
});

t.test('an alias bomb is refused, naming the file', async (t) => {
  const file = join(dir, 'bomb.yaml');
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 8; i++) {
    const p = String.fromCharCode(96 + i), c = String.fromCharCode(97 + i);
    levels.push(`${c}: &${c} [${Array(9).fill(`*${p}`).join(',')}]`);
  }
  writeFileSync(file, levels.join('\n') + '\n');
  t.equal(messageOf(() => loadScenario(file)), `${file}: invalid YAML: its aliases expand to too many nodes (more than 1000; an alias bomb?)`);
});

t.test('a duration needs its unit: the bare number is blamed, not the next field', async (t) => {
  t.equal(
    messageOf(parse((s) => (s.components.web.serviceTime = { dist: 'lognormal', median: 40, p99: '300ms' }))),
    'x.yaml: components.web.serviceTime.median: expected a duration with a unit like "40ms" or "40s", got 40',
  );
  t.equal(messageOf(parse((s) => (s.warmup = '90'))), 'x.yaml: warmup: expected a duration with a unit like "40ms" or "40s", got "90"');
  t.equal(parseScenario({ ...minimal(), warmup: 0 }, 'x.yaml', dir).warmup, 0, '0 may stand bare');
});

t.test('what is not a regular file is never read: traces, samples, policies, scenarios', async (t) => {
  const fifo = join(dir, 'pipe.csv');
  const haveFifo = spawnSync('mkfifo', [fifo]).status === 0;
  const targets = ['/dev/zero', ...(haveFifo ? [fifo] : [])];
  for (const target of targets) {
    const kind = target === '/dev/zero' ? 'a character device' : 'a FIFO';
    t.equal(messageOf(parse((s) => (s.traffic.rate = { trace: { file: target } }))),
      `x.yaml: traffic.rate.trace.file: expected a readable trace file relative to the scenario, got "${target}" — ${target}: is ${kind}, expected a regular file`);
    t.equal(messageOf(parse((s) => (s.components.web.serviceTime = { dist: 'empirical', file: target }))),
      `x.yaml: components.web.serviceTime.file: expected a readable sample file relative to the scenario, got "${target}" — ${target}: is ${kind}, expected a regular file`);
    t.equal(messageOf(parse((s) => (s.components.web.autoscaling = { file: target }))),
      `x.yaml: components.web.autoscaling.file: expected a readable policy file relative to the scenario, got "${target}" — ${target}: is ${kind}, expected a regular file`);
  }
  if (haveFifo) {
    const scenarioFifo = join(dir, 'pipe.yaml');
    spawnSync('mkfifo', [scenarioFifo]);
    t.equal(messageOf(() => loadScenario(scenarioFifo)), `${scenarioFifo}: is a FIFO, expected a regular file`);
  }
});

t.test('spike.at takes a UTC clock time when startTime is set, as peakHour does', async (t) => {
  const clock = (at: unknown, startTime: string | null = '2026-11-27T17:00:00Z', duration = '6h') => () => {
    const s = minimal();
    s.duration = duration;
    if (startTime !== null) s.startTime = startTime;
    s.traffic.rate = { spike: { base: 0, peak: 1000, at } };
    return parseScenario(s, 'x.yaml', dir);
  };
  const at = (sc: ReturnType<ReturnType<typeof clock>>) => (sc.workload.model === 'open' && sc.workload.rate.kind === 'spike' ? sc.workload.rate.at : NaN);
  t.equal(at(clock('20:30')()), 3.5 * 3600, '20:30 is 3 h 30 min after a 17:00 start');
  t.equal(at(clock('20:30:15')()), 3.5 * 3600 + 15);
  t.equal(at(clock('01:00', '2026-11-27T23:00:00+00:00')()), 7200, 'past midnight: the next day');
  t.equal(at(clock('18:00', '2026-11-27T17:00:00+01:00')()), 7200, 'a start with an offset is 16:00 UTC');
  t.equal(at(clock('2h')()), 7200, 'a duration still works');
  t.equal(messageOf(clock('20:30', null)), 'x.yaml: traffic.rate.spike.at: expected a duration after the start like "3h" (a clock time like "20:30" needs startTime), got "20:30"');
  t.equal(messageOf(clock('16:00')), 'x.yaml: traffic.rate.spike.at: expected a clock time within the run (17:00 to 23:00 UTC), got "16:00"');
  t.equal(messageOf(clock('25:00')), 'x.yaml: traffic.rate.spike.at: expected a clock time like "20:30" (UTC, 00:00 to 23:59) or a duration after the start like "3h", got "25:00"');

  // The spike lands at the right simulated second: no request before 17:30:00, a thousand a second after.
  const sc = parseScenario({
    duration: '1h', sampleInterval: '1s', startTime: '2026-11-27T17:00:00Z',
    traffic: { rate: { spike: { base: 0, peak: 1000, at: '17:30', hold: '10m' } } },
    components: { web: { kind: 'pool', instances: 50, workers: 8, serviceTime: '1ms' } },
  }, 'x.yaml', dir);
  const f = compileCurve((sc.workload as { rate: any }).rate);
  t.equal(f.rate(1799.999), 0);
  t.equal(f.rate(1800), 1000);
  const rows = runScenario(sc).rows.filter((r) => r.component === '_all');
  const first = rows.find((r) => r.offered > 0)!;
  t.equal(first.time, 1801, 'the first arrivals are in the second ending at 1801 s (17:30:01)');
  t.ok(first.offered > 900, `${first.offered} requests in that second`);
});
