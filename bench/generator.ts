// npm run bench:generator — headroom's load generator against wrk, at the maximum each can drive,
// on the same live stack (nginx in front of two upstream processes that answer at once), and on
// nginx alone (a location nginx answers itself: the generator's own ceiling, as the stack behind
// it no longer limits). Rounds alternate wrk and headroom so both see the same machine; each tool
// gets one thread (wrk -t1; headroom's driver is one Node thread) and the same connections, and
// the report gives both maxima (min and median over the rounds) and their ratio.
//   HEADROOM_GEN_ROUNDS (default 5), HEADROOM_GEN_SECONDS (default 5), HEADROOM_GEN_CONNECTIONS (default 50)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseScenario } from '../src/scenario/index.ts';
import { LiveStack } from '../src/bench/stack.ts';
import { ClosedDriver } from '../src/bench/driver/closed.ts';

const ROUNDS = Number(process.env.HEADROOM_GEN_ROUNDS ?? 5);
const SECONDS = Number(process.env.HEADROOM_GEN_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.HEADROOM_GEN_CONNECTIONS ?? 50);
const WRK = '/usr/bin/wrk';

const scenario = parseScenario(parse(`
name: generator
duration: 60s
traffic: { rate: 1 }
components:
  lb: { kind: loadBalancer, upstream: app }
  app: { kind: pool, instances: 2, workers: 1000, backlog: unlimited, serviceTime: 0s }
`), 'bench/generator.ts', process.cwd());

interface Round { rps: number; cpu: number; perRequest: number; sysShare: number } // cpu: the generator's CPU, share of one core; perRequest: its CPU s per answer; sysShare: the kernel's part of it

/** wrk -t1 -cN for SECONDS: requests per second and its CPU (user + sys from /usr/bin/time). */
function wrk(url: string): Promise<Round> {
  return new Promise((resolve, reject) => {
    const c = spawn('/usr/bin/time', ['-f', 'cpu %U %S', WRK, '-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', () => {
      const n = /(\d+) requests in ([\d.]+)s/.exec(out), cpu = /cpu ([\d.]+) ([\d.]+)/.exec(err);
      if (!n || !cpu) return reject(new Error(`wrk: ${out}${err}`));
      const secs = Number(n[2]), used = Number(cpu[1]) + Number(cpu[2]);
      resolve({ rps: Number(n[1]) / secs, cpu: used / secs, perRequest: used / Number(n[1]), sysShare: Number(cpu[2]) / used });
    });
  });
}

/** headroom's closed driver: CONNECTIONS users, no think time — wrk's loop. */
async function headroom(port: number, path: string): Promise<Round> {
  const d = new ClosedDriver({
    targets: [{ host: '127.0.0.1', ports: [port], path, resendLost: false }], weights: [1], clients: 1000, seed: 1,
    duration: SECONDS, warmup: 0, maxConnections: CONNECTIONS,
  }, CONNECTIONS, { kind: 'constant', value: 0 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await d.run();
  const secs = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  d.close();
  const st = d.stats;
  if (st.completions === 0) throw new Error('headroom: no answers');
  const failed = st.errors.reduce((a, b) => a + b, 0);
  if (failed > 0) throw new Error(`headroom: ${failed} errors`);
  const used = (c.user + c.system) / 1e6;
  return { rps: st.completions / SECONDS, cpu: used / secs, perRequest: used / st.completions, sysShare: c.system / 1e6 / used };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const min = (xs: number[]) => Math.min(...xs);
const k = (x: number) => `${(x / 1000).toFixed(1)}k`;

const dir = mkdtempSync(join(tmpdir(), 'headroom-gen-'));
const stack = await LiveStack.start({ scenario, prefix: join(dir, '.stack-gen'), mode: 'io' });
try {
  const targets: Array<[string, string]> = [
    ['nginx + 2 upstreams', '/lb/lb/c0'],
    ['nginx alone (return 204)', '/headroom-ready'],
  ];
  process.stdout.write(`bench:generator — ${ROUNDS} interleaved rounds of ${SECONDS} s, ${CONNECTIONS} connections, one generator thread each (wrk -t1)\n`);
  for (const [name, path] of targets) {
    const url = `http://127.0.0.1:${stack.port}${path}`;
    await wrk(url); // warm nginx, the upstreams' JIT and the connection caches
    await headroom(stack.port, path);
    const w: Round[] = [], h: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      w.push(await wrk(url));
      h.push(await headroom(stack.port, path));
    }
    const ratios = w.map((x, i) => h[i].rps / x.rps);
    process.stdout.write(`\n${name}  (${url})\n`);
    const line = (who: string, xs: Round[]) => `  ${who.padEnd(9)} max req/s: median ${k(median(xs.map((x) => x.rps)))}  min ${k(min(xs.map((x) => x.rps)))}   CPU ${(median(xs.map((x) => x.cpu)) * 100).toFixed(0)}% of a core, ${(median(xs.map((x) => x.perRequest)) * 1e6).toFixed(1)} µs per request (${(median(xs.map((x) => x.sysShare)) * 100).toFixed(0)}% in the kernel)\n`;
    process.stdout.write(line('wrk', w));
    process.stdout.write(line('headroom', h));
    process.stdout.write(`  headroom / wrk: median ${median(ratios).toFixed(2)}  min ${min(ratios).toFixed(2)}\n`);
    const cpuRatio = median(h.map((x) => x.perRequest)) / median(w.map((x) => x.perRequest));
    const limit = median(h.map((x) => x.cpu)) > 0.9
      ? 'the generator: headroom\'s one thread is saturated'
      : `the stack; the generator and the stack share this machine's CPU, and headroom's generator spends ${cpuRatio.toFixed(1)}× wrk's CPU per request`;
    process.stdout.write(`  headroom's limit here: ${limit}\n`);
  }
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
