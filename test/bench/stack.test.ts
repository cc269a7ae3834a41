// The live stack itself: nginx in front of upstream processes, as the scenario says, and nothing
// of it left once it stops; instances join and leave while it runs (nginx reloaded).
import t from 'tap';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { LiveStack } from '../../src/bench/stack.ts';
import { parseLine } from '../../src/bench/access-log.ts';
import { noProcessesUnder, tempDir, writeScenario } from './helpers.ts';

const tmp = tempDir('stack');
process.env.HEADROOM_STACK_REGISTRY = join(tmp, 'registry');
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const file = writeScenario(tmp, 'swrr', `
name: swrr
duration: 10s
traffic: { rate: 10 }
components:
  lb: { kind: loadBalancer, upstream: app, weights: [5, 1, 1] }
  app: { kind: pool, instances: 3, workers: 4, backlog: 16, serviceTime: 1ms }
`);

/** Sends n requests one after another (each waits for the previous answer), each from its own client address. */
async function sequential(port: number, n: number, from = 0): Promise<number[]> {
  const status: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/lb/lb/c0`, { headers: { 'x-client-addr': `10.0.${(from + i) >> 8}.${(from + i) & 255}` } });
    await r.text();
    status.push(r.status);
  }
  return status;
}

t.test('smooth weighted round robin 5,1,1 gives a a b a c a a, addresses come through realip, nothing is left after stop', async (t) => {
  const sc = loadScenario(file);
  const prefix = join(tmp, '.stack-1');
  const stack = await LiveStack.start({ scenario: sc, prefix, mode: 'io' });
  let stopped = false;
  t.teardown(async () => { if (!stopped) await stack.stop(); });
  t.equal(stack.instances.get('app')!.length, 3);
  const statuses = await sequential(stack.port, 21);
  t.same(statuses, Array(21).fill(200));
  const byPort = new Map(stack.instances.get('app')!.map((u, i) => [`127.0.0.1:${u.port}`, 'abc'[i]]));
  await stack.stop();
  stopped = true;
  const lines = readFileSync(stack.accessLog, 'utf8').trim().split('\n').map((l, i) => parseLine(l, i + 1));
  t.equal(lines.length, 21, 'one log line per request');
  // nginx changeset "Upstream: smooth weighted round-robin balancing" (1.3.1): "For edge case
  // weights like { 5, 1, 1 } we now produce { a, a, b, a, c, a, a } sequence".
  t.equal(lines.map((l) => byPort.get(l.tries[0].addr)).join(''), 'aabacaa'.repeat(3));
  t.same(lines.map((l) => l.remoteAddr).slice(0, 3), ['10.0.0.0', '10.0.0.1', '10.0.0.2'], '$remote_addr is the client address the driver sent');
  t.ok(lines.every((l) => l.upstream === 'app'), '$proxy_host names the pool');
  t.same(await noProcessesUnder(prefix), [], 'no nginx or upstream process left');
});

t.test('scale adds and removes upstream processes and reloads nginx while it serves', async (t) => {
  const sc = loadScenario(file);
  const prefix = join(tmp, '.stack-2');
  const stack = await LiveStack.start({ scenario: sc, prefix, mode: 'io' });
  t.teardown(() => stack.stop());
  await stack.scale('app', 5);
  const ports = stack.instances.get('app')!.map((u) => u.port);
  t.equal(ports.length, 5);
  t.match(readFileSync(stack.confFile, 'utf8'), new RegExp(`server 127\\.0\\.0\\.1:${ports[4]} weight=1 `), 'the new instance is in the upstream block');
  await sequential(stack.port, 9, 100); // weights 5,1,1,1,1: one cycle of 9 reaches every instance
  const removed = stack.instances.get('app')!.slice(1).map((u) => u.pid);
  await stack.scale('app', 1);
  t.equal(stack.instances.get('app')!.length, 1);
  const statuses = await sequential(stack.port, 5, 200);
  t.same(statuses, Array(5).fill(200), 'served by the one instance left');
  const finals = (await stack.sample(true)).get('app')!;
  t.equal(finals.length, 5, 'the whole-run counters keep the removed instances');
  t.equal(finals.reduce((a, x) => a + (x?.completions ?? 0), 0), 9 + 5, 'every request served is counted');
  const gone = removed.filter((pid) => { try { process.kill(pid, 0); return false; } catch { return true; } });
  t.equal(gone.length, removed.length, 'the removed instances\' processes ended');
  await stack.stop();
  const seen = new Set(readFileSync(stack.accessLog, 'utf8').trim().split('\n').map((l) => parseLine(l, 1).tries[0].addr));
  t.ok(ports.every((p) => seen.has(`127.0.0.1:${p}`)), 'every instance served while there were five');
  t.same(await noProcessesUnder(prefix), []);
});

t.test('nginx dying during a run ends the run with one line, and nothing is left running', async (t) => {
  const { runBench } = await import('../../src/bench/run-bench.ts');
  const sc = loadScenario(writeScenario(tmp, 'died', `
duration: 8s
sampleInterval: 1s
traffic: { rate: 20 }
components:
  lb: { kind: loadBalancer, upstream: app }
  app: { kind: pool, instances: 2, workers: 4, serviceTime: 1ms }
`));
  const out = join(tmp, 'died');
  let killed = false;
  const run = runBench({
    scenario: sc, duration: 8, mode: 'io', out,
    onInterval: () => {
      if (killed) return;
      killed = true;
      // The master, SIGKILLed: its worker is orphaned and would serve on (endAll finds it by its open log).
      const pid = Number(readFileSync(join(out, readdirSync(out).find((f) => f.startsWith('.stack-'))!, 'nginx.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
    },
  });
  await t.rejects(run, /^nginx exited during the run \(/);
  t.same(await noProcessesUnder(out), [], 'upstreams and the orphaned worker ended');
  t.notOk(existsSync(out), 'nothing written');
});
