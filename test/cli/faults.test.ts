// Faults and releases from the command line: bad input refused with its message and exit 2,
// nothing written; a run with a zone outage and a release prints and writes its recovery times,
// byte for byte the same for the same seed.
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headroom as cli, refusedRun } from './spawn.ts';

const headroom = (args: string[]) => cli(args, { timeout: 180_000 });
const tmp = mkdtempSync(join(tmpdir(), 'headroom-faults-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const zoned = `
name: zoned
seed: 5
duration: 30m
sampleInterval: 10s
zones: [us-east-1a, us-east-1b, us-east-1c]
traffic: { rate: 120 }
components:
  lb: { kind: loadBalancer, upstream: web, maxFails: 3, failTimeout: 30s, nextUpstream: { on: [error, timeout], tries: 3 } }
  web:
    kind: pool
    workers: 4
    backlog: 100
    serviceTime: { dist: lognormal, median: 30ms, p99: 200ms }
    bootTime: 30s
    deploy: { apiVersion: apps/v1, kind: Deployment, spec: { replicas: 6, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }
faults:
  - { at: 5m, zoneOutage: us-east-1b, for: 10m }
releases:
  - { at: 20m, pool: web, version: v2 }
slo:
  - { metric: latency.p99, max: 300ms }
  - { metric: errorRate, max: 0.5% }
`;
writeFileSync(join(tmp, 'zoned.yaml'), zoned);

t.test('a run with a zone outage and a release: recovery times in the terminal, summary.json and the report; same bytes', async (t) => {
  const a = join(tmp, 'a'), b = join(tmp, 'b');
  const r = headroom(['run', join(tmp, 'zoned.yaml'), '--out', a]);
  t.ok(r.status === 0 || r.status === 1, r.stderr);
  t.match(r.stdout, /recovery {3}after each fault and release/);
  t.match(r.stdout, /zone outage us-east-1b at t=300 s: /);
  t.match(r.stdout, /release web@v2 at t=1200 s: .*\(complete at t=\d+ s\)/);
  const s = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
  t.equal(s.disruptions.length, 2, 'one row per fault and release');
  t.ok(s.disruptions.every((d: { recoveryTime: unknown }) => typeof d.recoveryTime === 'number' || d.recoveryTime === null), 'a recovery time each');
  t.ok(s.events.some((e: { kind: string }) => e.kind === 'lost'), 'the lost instances are in the events');
  const html = readFileSync(join(a, 'index.html'), 'utf8');
  t.match(html, /Faults &amp; releases/);
  t.match(html, /Recovery time/);
  t.match(html, /Failed attempts at the instances/);
  t.equal(headroom(['run', join(tmp, 'zoned.yaml'), '--out', b, '--no-html']).status, r.status);
  t.ok(readFileSync(join(a, 'summary.json')).equals(readFileSync(join(b, 'summary.json'))), 'summary.json identical');
  t.ok(readFileSync(join(a, 'timeseries.csv')).equals(readFileSync(join(b, 'timeseries.csv'))), 'timeseries.csv identical');
});

const bad: Array<[string, string, RegExp]> = [
  ['unknown pool', zoned.replace('- { at: 5m, zoneOutage: us-east-1b, for: 10m }', '- { at: 5m, kill: wbe, count: 2 }'),
    /unknown-pool\.yaml: faults\[0\]\.kill: expected the name of a pool \(did you mean "web"\?\), got "wbe"/],
  ['unknown zone', zoned.replace('zoneOutage: us-east-1b', 'zoneOutage: us-east-1e'),
    /unknown-zone\.yaml: faults\[0\]\.zoneOutage: expected a zone of the scenario \(did you mean "us-east-1[a-e]"\?\), got "us-east-1e"/],
  ['both fenceposts 0', zoned.replace('maxSurge: 1, maxUnavailable: 0', 'maxSurge: 0, maxUnavailable: 0'),
    /both-fenceposts-0\.yaml: components\.web\.deploy\.spec\.strategy\.rollingUpdate\.maxUnavailable: expected a value other than 0 when maxSurge is 0/],
];
for (const [label, text, message] of bad) {
  t.test(`bad input (${label}): its message, exit 2, nothing written`, async (t) => refusedRun(t, tmp, label, text, message));
}
