// npm run bench:startup — what a CLI call costs before it does anything: CPU time (user + sys, from
// /usr/bin/time, so a loaded machine inflates it far less than wall time) of `headroom --help` and
// of `decide` on ten lines of observations, for the built bundle (bin/headroom.js → dist/) against
// the same sources run through tsx's loader (what bin did before the bundle), and `node -e 0` as
// the floor. Each round runs every variant once, in an order that alternates between rounds, so
// a change in the machine's load hits all alike; min and median over the rounds.
//
//   npm run bench:startup -- [--runs 5] [--peer /path/to/another/checkout]
// --peer adds that checkout's own bin/headroom.js (e.g. main before the bundle) as a variant.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from '../scripts/build.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs') ?? 5);
const peer = arg('--peer');

// Ten observations: the README's five (saler-observations.jsonl), then the same five 75 s later.
const five = readFileSync(join(ROOT, 'scenarios/policies/saler-observations.jsonl'), 'utf8').trim().split('\n');
const ten = [...five, ...five.map((l) => JSON.stringify({ ...JSON.parse(l), time: JSON.parse(l).time + 75 }))].join('\n') + '\n';
const POLICY = join(ROOT, 'scenarios/policies/saler-hpa.yaml');

interface Variant { name: string; node: string[] }
const variants: Variant[] = [
  { name: 'bundle (bin/headroom.js)', node: [join(ROOT, 'bin/headroom.js')] },
  { name: 'tsx (src/cli/main.ts)', node: ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')] },
  ...(peer ? [{ name: `peer (${peer}/bin/headroom.js)`, node: [join(resolve(peer), 'bin/headroom.js')] }] : []),
];
const commands = [
  { name: '--help', args: ['--help'], input: '' },
  { name: 'decide, 10 lines', args: ['decide', '--policy', POLICY], input: ten },
];

/** CPU seconds (user + sys) of one run; throws unless it exits 0 (with 10 output lines for decide). */
function cpu(node: string[], args: string[], input: string, cwd: string): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...node, ...args], { input, cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${node.join(' ')} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  if (input && r.stdout.trim().split('\n').length !== input.trim().split('\n').length) throw new Error(`decide: expected a line per observation, got ${r.stdout}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return user! + sys!;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

await build(); // the bundle is current, so no run below pays for a rebuild
const cwdOf = (v: Variant) => (v.name.startsWith('peer') ? resolve(peer!) : ROOT);
// One untimed run of each warms the disk cache (and tsx's transform cache, as in daily use).
for (const v of variants) for (const c of commands) cpu(v.node, c.args, c.input, cwdOf(v));
const load0 = loadavg()[0]!;
const floor: number[] = [];
const got = new Map<string, number[]>();
for (let r = 0; r < runs; r++) {
  floor.push(cpu(['-e', '0'], [], '', ROOT));
  const order = r % 2 === 0 ? variants : [...variants].reverse();
  for (const c of commands) for (const v of order) {
    const key = `${c.name}\t${v.name}`;
    got.set(key, [...(got.get(key) ?? []), cpu(v.node, c.args, c.input, cwdOf(v))]);
  }
}
const load1 = loadavg()[0]!;
const s = (x: number) => `${x.toFixed(2)} s`;
console.log(`CPU time (user + sys) per call, ${runs} interleaved rounds: min, median`);
for (const [key, xs] of got) {
  const [c, v] = key.split('\t');
  console.log(`  ${c!.padEnd(17)} ${v!.padEnd(30)} ${s(Math.min(...xs))}, ${s(median(xs))}`);
}
console.log(`  ${'node -e 0'.padEnd(17)} ${''.padEnd(30)} ${s(Math.min(...floor))}, ${s(median(floor))}`);
console.log(`load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end, ${availableParallelism()} cores`);
