// What a command loads: `--help` and `decide` must not load vega or the simulator (start-up is
// paid on every call, and decide runs in loops), `run --no-html` must not load vega. The CLI runs
// as users run it (bin/headroom.js → the bundle in dist/; `npm test` builds it first) with a
// loader hook listing every module file it loads; a bundle file stands for the sources in its
// source map. Each check also has a command that does load the thing, so an empty trace cannot pass.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headroom, ROOT as root } from './spawn.ts';

const TRACE = join(import.meta.dirname, 'module-trace.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'headroom-startup-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** Runs the CLI; returns its result and the source files (relative to the project) it loaded. */
function traced(args: string[], input = '') {
  const out = join(tmp, `trace-${n++}.txt`);
  writeFileSync(out, '');
  const r = headroom(args, { input, nodeArgs: ['--import', TRACE], env: { HEADROOM_MODULE_TRACE: out } });
  const sources = new Set<string>();
  for (const url of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
    const file = fileURLToPath(url);
    const rel = relative(root, file);
    if (rel.startsWith('dist/')) {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      for (const s of map.sources) sources.add(relative(root, resolve(dirname(file), s)));
    } else sources.add(rel);
  }
  return { ...r, sources: [...sources] };
}

const VEGA = /^node_modules\/vega(-[a-z-]+)?\//;
const SIMULATOR = /^src\/model\//;
const has = (sources: string[], re: RegExp) => sources.filter((s) => re.test(s));

const small = 'name: small\nduration: 2m\nsampleInterval: 10s\ntraffic: { rate: 5 }\ncomponents:\n  web: { kind: pool, instances: 1, workers: 2, serviceTime: { dist: exponential, mean: 50ms } }\n';
writeFileSync(join(tmp, 'small.yaml'), small);

t.test('--help loads neither vega nor the simulator, and runs the built bundle', async (t) => {
  const r = traced(['--help']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /headroom run <file>/);
  t.equal(r.stderr, '', 'no rebuild notice: dist/ was current');
  t.ok(r.sources.includes('src/cli/main.ts'), 'the trace sees the CLI (main.ts, through the bundle)');
  t.same(has(r.sources, VEGA), [], 'no vega module');
  t.same(has(r.sources, SIMULATOR), [], 'no simulator module');
  t.same(has(r.sources, /^src\/report\//), [], 'no report module');
  t.same(has(r.sources, /^src\/bench\//), [], 'no live-stack module');
});

t.test('--help lists every command defined in src/cli (each must be in main.ts COMMANDS)', async (t) => {
  const dir = join(root, 'src/cli');
  const defined = readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((f) =>
    [...readFileSync(join(dir, f), 'utf8').matchAll(/^export const \w+Command\b[^=]*= \{\n\s*command: '([a-z-]+)/gm)].map((m) => m[1]!));
  t.ok(defined.length >= 10, `found the command modules (${defined.join(', ')})`);
  const r = headroom(['--help']);
  t.equal(r.status, 0, r.stderr);
  const listed = [...r.stdout.matchAll(/^ {2}headroom ([a-z-]+)/gm)].map((m) => m[1]!);
  t.same([...listed].sort(), [...defined].sort());
});

t.test('tests start the CLI only through test/cli/spawn.ts (built bundle, without tap\'s process hook)', async (t) => {
  const files = readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|mjs|js)$/.test(f));
  const own = new Set(['cli/spawn.ts', 'cli/build.test.ts', 'cli/startup.test.ts']); // build.test.ts runs a copy's bin
  const direct = files.filter((f) => !own.has(f) && readFileSync(join(root, 'test', f), 'utf8').includes('bin/headroom.js'));
  t.same(direct, [], 'no test names bin/headroom.js itself');
});

t.test('decide loads the policy engine but neither vega nor the simulator', async (t) => {
  const obs = readFileSync(join(root, 'scenarios/policies/saler-observations.jsonl'), 'utf8');
  const r = traced(['decide', '--policy', 'scenarios/policies/saler-hpa.yaml'], obs);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.trim().split('\n').length, obs.trim().split('\n').length, 'one decision per line');
  t.ok(r.sources.includes('src/autoscale/hpa.ts'), 'the HPA engine is loaded');
  t.same(has(r.sources, VEGA), [], 'no vega module');
  t.same(has(r.sources, SIMULATOR), [], 'no simulator module');
  t.same(has(r.sources, /^src\/bench\//), [], 'no live-stack module');
});

t.test('run --no-html simulates without loading vega; run with HTML loads it', async (t) => {
  const plain = traced(['run', join(tmp, 'small.yaml'), '--out', join(tmp, 'a'), '--no-html']);
  t.equal(plain.status, 0, plain.stderr);
  t.ok(plain.sources.includes('src/model/simulation.ts'), 'the simulator is loaded');
  t.same(has(plain.sources, VEGA), [], 'no vega module');
  const html = traced(['run', join(tmp, 'small.yaml'), '--out', join(tmp, 'b')]);
  t.equal(html.status, 0, html.stderr);
  t.ok(has(html.sources, VEGA).length > 0, 'writing index.html loads vega (so the checks above can see it)');
});
