// calibration.json (written by `headroom calibrate`, src/bench/calibrate.ts) applied over a loaded
// scenario by `headroom run --calibration FILE`. It is scenario input: validated the same way, and
// errors name the calibration file and the field (`cal.json: pools.wbe: no pool "wbe" in
// scenarios/x.yaml; did you mean "web"?`). What it replaces:
//   pools.<pool>.serviceTime       the pool's serviceTime (a distribution in the scenario syntax)
//   pools.<pool>.workers           the pool's workers, when calibration found the CPU caps them
//   balancers.<lb>.overhead        the load balancer's overhead (nginx's own time per request)
// Everything else in the file (fit errors, where it was fitted from) is a record for people.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDist } from './dist.ts';
import { ScenarioError, child, fail, type Where } from './errors.ts';
import { Fields, didYouMean, integer, isMapping } from './fields.ts';
import type { Scenario } from './types.ts';

export const CALIBRATION_KIND = 'headroom-calibration';

/** The file's shape as `headroom calibrate` writes it (the record parts are free-form for readers). */
export interface CalibrationFile {
  kind: typeof CALIBRATION_KIND;
  version: 1;
  headroom: string;
  from: Record<string, unknown>;
  pools: Record<string, { serviceTime?: unknown; workers?: number; fit?: unknown; source?: unknown; capacity?: unknown }>;
  balancers: Record<string, { overhead?: unknown; fit?: unknown; source?: unknown }>;
}

const TOP = ['kind', 'version', 'headroom', 'from', 'pools', 'balancers'] as const;
const POOL = ['serviceTime', 'workers', 'fit', 'source', 'capacity'] as const;
const BALANCER = ['overhead', 'fit', 'source'] as const;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ScenarioError(file, '', 'a readable file', file, { detail: `cannot read the calibration file (${code})` });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(file, '', 'JSON', undefined, { detail: `invalid JSON: ${(err as Error).message}` });
  }
}

function unknownComponent(at: Where, name: string, kind: 'pool' | 'loadBalancer', sc: Scenario): never {
  const names = sc.components.filter((c) => c.kind === kind).map((c) => c.name);
  const other = sc.components.find((c) => c.name === name);
  const hint = other !== undefined
    ? `"${name}" is a ${other.kind} there`
    : didYouMean(name, names) !== undefined ? `did you mean "${didYouMean(name, names)}"?` : `its ${kind}s are ${names.join(', ') || 'none'}`;
  throw new ScenarioError(at.file, at.path, `a ${kind} of ${sc.file}`, name, { detail: `no ${kind} "${name}" in ${sc.file}; ${hint}` });
}

/**
 * Reads `file` and returns the scenario with the calibration applied, and a line per value it
 * replaced (for the run summary). Nothing is changed when anything in the file is wrong.
 */
export function applyCalibration(scenario: Scenario, file: string): { scenario: Scenario; applied: string[] } {
  const raw = readJson(file);
  const root: Where = { file, path: '' };
  const f = new Fields(raw, root, TOP, 'a headroom calibration (an object with kind, pools and balancers)');
  if (f.raw.kind !== CALIBRATION_KIND) fail(f.where('kind'), `"${CALIBRATION_KIND}"`, f.raw.kind);
  if (f.raw.version !== 1) fail(f.where('version'), '1 (the calibration format this headroom reads)', f.raw.version);
  const baseDir = path.dirname(file);
  const sc: Scenario = structuredClone(scenario);
  const applied: string[] = [];

  const pools = f.opt('pools', (v, a) => (isMapping(v) ? v : fail(a, 'a mapping of pool names', v)), {});
  for (const [name, value] of Object.entries(pools)) {
    const at = child(f.where('pools'), name);
    const pool = sc.components.find((c) => c.name === name && c.kind === 'pool');
    if (pool === undefined || pool.kind !== 'pool') unknownComponent(at, name, 'pool', sc);
    const p = new Fields(value, at, POOL, 'a pool calibration like { serviceTime: { dist: lognormal, mu, sigma } }');
    if (p.has('serviceTime')) {
      pool.serviceTime = p.req('serviceTime', (v, a) => parseDist(v, a, baseDir));
      applied.push(`${name}.serviceTime`);
    }
    if (p.has('workers')) {
      const w = p.req('workers', integer(1));
      if (w !== pool.workers) applied.push(`${name}.workers ${pool.workers} → ${w}`);
      pool.workers = w;
    }
  }
  const balancers = f.opt('balancers', (v, a) => (isMapping(v) ? v : fail(a, 'a mapping of load balancer names', v)), {});
  for (const [name, value] of Object.entries(balancers)) {
    const at = child(f.where('balancers'), name);
    const lb = sc.components.find((c) => c.name === name && c.kind === 'loadBalancer');
    if (lb === undefined || lb.kind !== 'loadBalancer') unknownComponent(at, name, 'loadBalancer', sc);
    const b = new Fields(value, at, BALANCER, 'a load balancer calibration like { overhead: { dist: empirical, samples: [...] } }');
    if (b.has('overhead')) {
      lb.overhead = b.req('overhead', (v, a) => parseDist(v, a, baseDir));
      applied.push(`${name}.overhead`);
    }
  }
  return { scenario: sc, applied };
}
