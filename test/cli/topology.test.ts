// Bad topology through the real command line: one line naming the file, the field and what was
// expected; exit code 2; nothing written. And the example scenario's cause chain in the terminal.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headroom as cli, refusedRun } from './spawn.ts';

const headroom = (args: string[]) => cli(args, { timeout: 300_000 });
const tmp = mkdtempSync(join(tmpdir(), 'headroom-topology-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const stack = (web: string, extra = '') => `
duration: 10m
traffic: { rate: 20 }
components:
  nginx: { kind: loadBalancer, upstream: web }
  web:
    kind: pool
    instances: 4
    workers: 16
    serviceTime: 10ms
${web}
  api: { kind: pool, instances: 2, serviceTime: 5ms }
  db:
    kind: database
    primary: { workers: 8, maxConnections: 100, serviceTime: 4ms }
${extra}`;

const cases: Array<[string, string, RegExp]> = [
  ['unknown callee', stack('    calls: [{ to: apii }]'),
    /^.*unknown-callee\.yaml: components\.web\.calls\[0\]\.to: expected the name of a component to call \(did you mean "api"\?\), got "apii"\n$/],
  ['call cycle', stack('    calls: [{ to: api }]').replace('api: { kind: pool, instances: 2, serviceTime: 5ms }', 'api: { kind: pool, instances: 2, serviceTime: 5ms, calls: [{ to: web }] }'),
    /components\.api\.calls\[0\]\.to: expected a call that does not lead back to its caller \(a cycle: web → api → web\), got "web"\n$/],
  ['probability', stack('    calls: [{ parallel: [{ to: api }, { to: db, p: 1.2 }] }]'),
    /components\.web\.calls\[0\]\.parallel\[1\]\.p: expected a probability in \[0, 1\], like 0\.6 or "60%", got 1\.2\n$/],
  ['pool too large', stack('    calls: [{ to: db }]\n    connections: { db: { size: 30 } }'),
    /components\.web\.connections\.db\.size: expected a pool size db accepts: at their largest fleet its callers would open web 4 × 30 = 120 sessions, over db's max_connections of 100 on the primary \(Postgres refuses the rest: "too many clients"\), got 30\n$/],
];

for (const [label, text, message] of cases) {
  t.test(`bad topology (${label}): its message, exit 2, nothing written`, async (t) => refusedRun(t, tmp, label, text, message, 300_000));
}

t.test('the data example: the terminal and summary.json name the chain of causes', async (t) => {
  const out = join(tmp, 'example');
  const r = headroom(['run', join(import.meta.dirname, '../../scenarios/data/app-db-saturated.yaml'), '--out', out, '--no-html']);
  t.equal(r.status, 1, 'its SLOs fail: exit 1');
  t.match(r.stdout, /why +app: [\d,]+ refused \(503, backlog full\) ← its workers \d+% busy, \d+% of that waiting on calls ← db\/primary \d+% busy/);
  t.match(r.stdout, /\n +app: [\d,]+ timed out \(504\) waiting for a db connection ← its pools \(10 per instance\) had [\d.]+ of 40\.0 connections in use, mean wait [\d.]+ (ms|s) \(\d+% waited\) ← db\/primary \d+% busy/);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const app = s.components.app;
  t.ok(app.calls.timedOutWhile.connection.db > 0.9 * app.errors.timeout, 'the app\'s timeouts waited for a db connection');
  t.equal(s.components.db.kind, 'database');
  t.ok(s.components['db/primary'].utilisation > 0.85, 'the primary is the busy one');
});
