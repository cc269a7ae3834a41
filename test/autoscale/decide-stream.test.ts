// `decide` over JSON lines: state carried between lines, malformed lines, stop vs continue,
// policy-file loading, and the CLI process contract (exit code 2).
import t from 'tap';
import { policyErrorOf } from './helpers.ts';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runDecideStream } from '../../src/autoscale/decide-stream.ts';
import { parsePolicy, PolicyError } from '../../src/autoscale/index.ts';
import { loadPolicyFile } from '../../src/cli/decide.ts';
import { headroom } from '../cli/spawn.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cfg = parsePolicy({ serviceType: 'web_server' });

const inst = (cpu: number) => ({ id: 'a', phase: 'running', ready: true, startTime: 0, requests: { cpu: 1000, memory: 1e9 }, metrics: { cpu, memory: 5e8, requestRate: 10 } });
const line = (time: number, current: number, cpu: number) => JSON.stringify({ time, currentReplicas: current, instances: [inst(cpu)] });

async function collect(lines: string[], onError: 'stop' | 'continue') {
  const out: string[] = [];
  const err: string[] = [];
  const res = await runDecideStream(cfg, lines, { onError, write: (l) => out.push(l), writeError: (l) => err.push(l) });
  return { out: out.map((l) => JSON.parse(l)), err, res };
}

t.test('state is carried between lines (the cooldown of the first action blocks the second)', async (t) => {
  const { out, res } = await collect([line(0, 3, 900), line(60, 4, 900), line(400, 4, 900)], 'stop');
  t.same(out.map((d) => [d.time, d.desired, d.rule, d.currentReplicas]), [[0, 4, 'scale_up', 3], [60, 4, 'maintain', 4], [400, 5, 'scale_up', 4]]);
  t.same(res, { decisions: 3, failedLines: 0, stopped: false });
});

t.test('malformed JSON: line number on stderr; stop ends the stream', async (t) => {
  const { out, err, res } = await collect([line(0, 3, 500), '{"time": 60,', line(120, 3, 500)], 'stop');
  t.equal(out.length, 1);
  t.equal(err.length, 1);
  t.match(err[0], /^line 2: invalid JSON/);
  t.same(res, { decisions: 1, failedLines: 1, stopped: true });
});

t.test('continue keeps going after a bad line; blank lines are skipped but counted', async (t) => {
  const bad = JSON.stringify({ time: 60, currentReplicas: 3, instances: [{ ...inst(500), phase: 'up' }] });
  const { out, err, res } = await collect([line(0, 3, 500), '', bad, line(120, 3, 500)], 'continue');
  t.same(out.map((d) => d.time), [0, 120]);
  t.same(err, ['line 3: instances[0].phase: expected one of pending | running | failed | deleting, got "up"']);
  t.same(res, { decisions: 2, failedLines: 1, stopped: false });
});

t.test('negative or non-finite metrics are refused with their line and field (issue 8, point 7)', async (t) => {
  // a CPU of -500m against a 250m request once made the HPA propose -8 replicas
  const hpa = parsePolicy({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  const negative = JSON.stringify({ time: 0, currentReplicas: 3, instances: [{ ...inst(-500), requests: { cpu: 250 } }] });
  for (const policy of [cfg, hpa]) {
    const out: string[] = [], err: string[] = [];
    const res = await runDecideStream(policy, [line(0, 3, 100), negative], { onError: 'stop', write: (l) => out.push(l), writeError: (l) => err.push(l) });
    t.same(err, ['line 2: instances[0].metrics.cpu: expected a number ≥ 0, got -500'], `${policy.kind}: the line and field`);
    t.equal(out.length, 1, `${policy.kind}: no decision from the bad line`);
    t.same(res, { decisions: 1, failedLines: 1, stopped: true });
  }
  const { err } = await collect(['{"time":0,"currentReplicas":1,"instances":[],"external":{"queue":1e400}}'], 'stop');
  t.same(err, ['line 1: external.queue: expected a number, got Infinity'], 'a number too large for a double');
  // the engine checks too, for callers that build observations themselves
  const { decide, initialState } = await import('../../src/autoscale/index.ts');
  const obs = { currentReplicas: 3, instances: [{ ...inst(-500), phase: 'running' as const }] };
  t.throws(() => decide(hpa, initialState(hpa, 3, 0), obs, 0), { name: 'PolicyError', message: 'instances[0].metrics.cpu: expected a number ≥ 0, got -500' });
});

t.test('bad fields name the field', async (t) => {
  const cases: [unknown, string][] = [
    [{ currentReplicas: 3, instances: [] }, 'line 1: time: expected a number, got nothing (missing)'],
    [{ time: 0, currentReplicas: 2.5, instances: [] }, 'line 1: currentReplicas: expected an integer, got 2.5'],
    [{ time: 0, currentReplicas: 2, instances: [{ ...inst(1), metrics: { cpu: 'x' } }] }, 'line 1: instances[0].metrics.cpu: expected a number, got "x"'],
    [{ time: 0, currentReplicas: 2, instances: [], extrnal: {} }, 'line 1: extrnal: expected a known key (did you mean "external"?), got unknown key "extrnal"'],
  ];
  for (const [raw, msg] of cases) {
    const { err } = await collect([JSON.stringify(raw)], 'stop');
    t.same(err, [msg]);
  }
  const { err } = await collect([line(100, 3, 1), line(50, 3, 1)], 'continue');
  t.match(err[0], /^line 2: time: expected a time ≥ the previous line's \(100\), got 50/);
});

t.test('each line carries the observed figures and the unclamped wish; capacity is read', async (t) => {
  const withCap = (cpu: number) => JSON.stringify({ time: 0, currentReplicas: 10, instances: [{ ...inst(cpu), requests: { cpu: 250, memory: 1e9 }, capacity: { cpu: 500 } }] });
  const { out } = await collect([withCap(500)], 'stop');
  t.same([out[0].desired, out[0].unclamped], [10, 11], 'at max_instances 10 the guide wants one more');
  t.same(out[0].observed[0], { metric: 'cpu_usage', threshold: 'scale_up_threshold', op: '>', value: 1, target: 0.7, unit: 'fraction' }, '500m of a 500m machine: 1.0');
  const bad = JSON.stringify({ time: 0, currentReplicas: 1, instances: [{ ...inst(1), capacity: { cpu: 0 } }] });
  const { err } = await collect([bad], 'stop');
  t.same(err, ['line 1: instances[0].capacity.cpu: expected a number > 0, got 0']);
});

t.test('policy files in scenarios/policies parse', async (t) => {
  t.equal((await loadPolicyFile(join(root, 'scenarios/policies/saler-hpa.yaml'))).kind, 'hpa');
  t.equal((await loadPolicyFile(join(root, 'scenarios/policies/saler-aws.json'))).kind, 'aws');
  t.equal((await loadPolicyFile(join(root, 'scenarios/policies/saler-orchestrator.yaml'))).kind, 'orchestrator');
});

t.test('PolicyError shape and family detection', async (t) => {
  const e = t.throws(() => parsePolicy({ serviceType: 'web_server', max_instances: 'ten' })) as unknown as PolicyError;
  t.ok(e instanceof PolicyError);
  t.same([e.path, e.expected, e.got, e.message], ['max_instances', 'an integer', '"ten"', 'max_instances: expected an integer, got "ten"']);
  t.match(policyErrorOf(() => parsePolicy({ foo: 1 })), { path: '(root)' });
  t.match(policyErrorOf(() => parsePolicy([])), { path: '(root)' });
});

function cli(args: string[], input: string) {
  return headroom(['decide', ...args], { input, cwd: root, timeout: 60_000 });
}

t.test('CLI: decisions on stdout, exit 0', async (t) => {
  const r = cli(['--policy', 'scenarios/policies/saler-orchestrator.yaml'], `${line(0, 3, 900)}\n${line(60, 4, 900)}\n`);
  t.equal(r.status, 0, r.stderr);
  t.same(r.stdout.trim().split('\n').map((l) => JSON.parse(l).desired), [4, 4]);
});

t.test('CLI: a bad line → stderr + exit 2 (continue still prints the rest)', async (t) => {
  const r = cli(['--policy', 'scenarios/policies/saler-orchestrator.yaml', '--on-error', 'continue'], `not json\n${line(60, 3, 500)}\n`);
  t.equal(r.status, 2);
  t.match(r.stderr, /^line 1: invalid JSON/);
  t.equal(r.stdout.trim().split('\n').length, 1);
});

t.test('CLI: a bad policy file → FILE: path: expected …, got …, exit 2', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'serviceType: web_server\nmax_instances: -1\n' });
  const r = cli(['--policy', join(dir, 'bad.yaml')], '');
  t.equal(r.status, 2);
  t.equal(r.stderr.trim(), `${join(dir, 'bad.yaml')}: max_instances: expected a number ≥ 1, got -1`);
});
